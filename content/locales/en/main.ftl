## The language, in itself
language-name = English
choose-language = Choose your language:

## Regions
region-batken = Batken region
region-chui = Chui region
region-issyk_kul = Issyk-Kul region
region-jalal_abad = Jalal-Abad region
region-naryn = Naryn region
region-osh_oblast = Osh region
region-talas = Talas region
region-bishkek = Bishkek city
region-osh_city = Osh city
region-none = not chosen
region-clear = Do not keep my region
all-regions = all regions
choose-region = Which region are you in? It helps us show contacts and news for your region. You can skip this.

## Onboarding and the main menu
welcome =
    Welcome to Tynchtyk.
    Here you can learn about UN Security Council Resolution 1325 "Women, Peace and Security" and about legal aid, report an incident, find legal help for your region without giving your name, and do the tasks of your monitoring group.
    You can wipe this chat at any time in Settings.
main-menu = Main menu. What would you like to do?
menu-lessons = 📚 Lessons
menu-legal = ⚖️ Find legal aid
menu-report = 📝 Report an incident
menu-monitor = 👥 Monitoring
menu-settings = ⚙️ Settings
menu-coordinator = 🗂 Coordinator
section-not-open = "{ $section }" is not open yet. We are preparing it; it will appear in this menu.

## Buttons used everywhere
button-main-menu = ⬅️ Main menu
button-back = ⬅️ Back
button-skip = Skip

## Commands
help =
    Tynchtyk helps women activists, local council deputies and monitoring groups.
    Commands you can send at any time:
    /menu – the main menu
    /language – change the language
    /cancel – stop what you are doing
    /help – this message
    To remove this conversation from your phone, open Settings and choose "Wipe this chat".
command-start = Start again
command-menu = Main menu
command-help = Help
command-language = Change the language
command-cancel = Stop what I am doing
cancelled = Stopped. Nothing was sent.
unknown-command = I do not know this command. Here is the menu.
not-understood = I did not understand that. Please choose from the menu.
button-expired = This button has expired. Here is the current menu.
access-denied = This part is only for coordinators and admins.
error-generic = Something went wrong on our side. What you entered before is kept. Please try again.
error-try-again = The bot is busy right now. Please try again in a minute; nothing you entered is lost.
flood-slow-down = You are sending messages very fast. Please wait a little; I will answer again in a moment.
group-write-privately = Please write to me in a private chat. For your safety I do not work in groups.

## Settings
settings =
    Settings
    Language: { $language }
    Region: { $region }
settings-language = 🌐 Language
settings-region = 📍 Region
settings-wipe-chat = 🧹 Wipe this chat
settings-delete-data = 🗑 Delete my data
language-changed = The language is now English.

## Privacy
wipe-confirm = Delete the messages of this chat from the last 48 hours, on your phone and in the bot? This cannot be undone. Your settings stay.
wipe-confirm-button = Yes, wipe this chat
wipe-unsupported-whatsapp = WhatsApp does not let the bot delete messages. To remove this chat from your phone: open the chat, tap the name at the top, then "Clear chat".
wipe-unsupported-console = This terminal cannot delete messages.
delete-confirm = Delete everything the bot knows about you: your language, region, progress and unfinished drafts? This cannot be undone.
delete-confirm-button = Yes, delete my data
delete-and-wipe-button = Delete my data and wipe this chat
data-deleted = Your data has been deleted. If you want to use the bot again, send /start.

## Coordinators and admins
coordinator-menu =
    Coordinator menu
    Your regions: { $regions }
coord-reports = 📥 Reports
coord-tasks = 🗓 Monitoring tasks
coord-alerts = 📣 Campaign alerts
admin-staff = 👤 Coordinators and admins
admin-invite = ➕ Add a coordinator
staff-title = Coordinators and admins:
staff-line = #{ $id } – { $role } – { $regions }
staff-remove = Remove coordinator #{ $id }
staff-removed = #{ $id } is no longer a coordinator.
role-member = member
role-coordinator = coordinator
role-admin = admin
invite-choose-regions = Which regions will the new coordinator cover? Tap to choose, then "Create the code".
invite-create = ✅ Create the code
invite-needs-region = Choose at least one region first.
invite-created =
    Invitation code: { $code }
    Regions: { $regions }
    Give it to the new coordinator in person or by a safe channel. She sends this to the bot:
    /start coord-{ $code }
    The code works once, for { $days } days.
invite-invalid = This code does not work. It may have been used or have expired. Ask your admin for a new one.
invite-accepted = You are now a coordinator for: { $regions }.

## Lessons
lessons-title = Lessons. Choose a course:
course-button = { $title } ({ $done }/{ $total })
course-page =
    { $title }
    { $description }
lessons-continue = ▶️ Continue where I stopped
lessons-daily = ⏰ Daily lesson
lessons-all-done = You have finished every lesson. You can take any of them again from the course list.
card-header = 📚 { $lesson } · { $number }/{ $total }
lesson-next = Next ➡️
lesson-previous = ⬅️ Previous
lesson-quiz = 📝 To the questions
lesson-contents = 📋 Lessons of this course
quiz-header = ❓ Question { $number } of { $total }
quiz-your-answer = Your answer: { $answer }
quiz-right = ✅ Right!
quiz-wrong = ❌ Not quite. The right answer: { $answer }
quiz-next = Next question ➡️
lesson-done =
    🎉 Lesson finished: { $lesson }
    Right answers: { $correct } of { $total }.
lesson-sources = Sources: { $sources }
lesson-next-lesson = Next lesson ➡️
course-certificate =
    🏅 Certificate
    You have finished the course "{ $course }": { $lessons } lessons, { $score }% of the answers right.
    Date: { $date }
    Thank you for learning with Tynchtyk. Share what you learned with the women of your community.
daily-off = Daily lesson: off.
daily-on = Daily lesson: every day at { $time } (Bishkek time).
daily-choose = Choose a time, or type one like 07:30. Every day at that time I will send you the next card of your lesson.
daily-turn-off = Turn off the daily lesson
daily-bad-time = Please type a time like 07:30, or choose one of the buttons.
daily-turned-on = Done. Every day at { $time } (Bishkek time) you will get the next card of your lesson.
daily-turned-off = The daily lesson is off.
daily-card-intro = ☀️ Your daily lesson
coord-lessons = 📊 Lesson figures
stats-title = Lesson figures (no person's own results are shown):
stats-line = started { $started }, finished { $finished }, average score { $score }
stats-score-hidden = not shown (fewer than 3 people)

## Legal aid
topic-family_violence = Violence in the family
topic-politics = Violence against women in politics
topic-work = Work, harassment and labour rights
topic-family_law = Alimony, property and family law
topic-torture = Torture and ill-treatment
topic-discrimination = Discrimination
topic-free_aid = Free state-guaranteed legal aid
legal-emergency-title = 🆘 In danger now? Call:
legal-choose-topic = Region: { $region }. What do you need help with? Choose a topic, or type a word such as "alimony". We do not keep what you look up.
legal-region-all = all regions
legal-change-region = 📍 Another region
legal-choose-region = For which region?
legal-results-title = { $topic } – { $region }:
legal-search-found = Found for "{ $query }":
legal-search-none = Nothing found for "{ $query }". Choose a topic:
legal-type-a-word = Type a word (at least 3 letters), or choose a topic.
legal-none-local = We have no confirmed local contacts for this yet. These work in every region:
legal-nothing = We have no contacts for this topic yet. Please choose another topic or region.
legal-other-topic = 🔎 Another topic
legal-source = Source: { $source } (checked { $checked })
legal-privacy-tip = To remove this chat from your phone: Settings → Wipe this chat.
legal-nearest = Nearest first, by the location you shared (it is not saved):
legal-distance = About { $km } km away.
legal-no-coordinates = No entry has a location yet, so we cannot sort by distance. Choose a topic instead.
language-short-ky = Kyrgyz
language-short-ru = Russian
language-short-en = English
language-short-uz = Uzbek

## Legal-aid directory (admins)
coord-directory = 📒 Legal-aid directory
dir-title = Legal-aid directory: { $count } entries. Choose one to edit, or add a new one.
dir-add = ➕ Add an entry
dir-hidden-mark = (hidden)
dir-edit-name = ✏️ Name
dir-edit-about = ✏️ Description
dir-edit-address = ✏️ Address
dir-edit-hours = ✏️ Opening hours
dir-edit-phones = ✏️ Phones
dir-edit-website = ✏️ Website
dir-edit-email = ✏️ Email
dir-edit-regions = 📍 Regions
dir-edit-topics = 🏷 Topics
dir-hide = 🙈 Hide from people
dir-show = 👁 Show to people
dir-cancel = ✖️ Cancel
dir-field-name = The name
dir-field-about = What it does
dir-field-address = The address
dir-field-hours = The opening hours
dir-ask-text = { $field }, in { $language }: send the text. Send - to remove an address or opening hours.
dir-current = Now: { $value }
dir-ask-phones = Send the phone numbers, separated by commas, with the country code, such as +996 312 123 456. Send - to remove them.
dir-ask-website = Send the website, starting with https://. Send - to remove it.
dir-ask-email = Send the email address. Send - to remove it.
dir-ask-source = Where does this come from? Send the public source you checked it in (a website or a document). It is shown to people with the date of today.
dir-choose-regions = Which regions does it serve? Tap to choose, then Done.
dir-choose-topics = Which topics does it help with? Tap to choose, then Done.
dir-done = ✅ Done
dir-choose-one = Choose at least one.
dir-send-text = Please send the answer as a text message.
dir-too-long = This is too long: please keep it under 1,000 characters.
dir-bad-phone = "{ $phone }" is not a valid number. Write it with the country code, such as +996 312 123 456, or a three-digit service number such as 114.
dir-bad-website = A website must start with https:// or http://.
dir-bad-email = This does not look like an email address.
dir-bad-source = Please name the source: a website or a document.
dir-invalid = This entry cannot be saved: { $problem }
dir-saved = Saved. People see the change at once.

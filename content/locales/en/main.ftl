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
    /status – the status of a report
    /help – this message
    To remove this conversation from your phone, open Settings and choose "Wipe this chat".
command-start = Start again
command-menu = Main menu
command-help = Help
command-language = Change the language
command-cancel = Stop what I am doing
command-status = Status of my report
cancelled = Stopped. Nothing was sent.
unknown-command = I do not know this command. Here is the menu.
not-understood = I did not understand that. Please choose from the menu.
button-expired = This button has expired. Here is the current menu.
access-denied = This part is only for coordinators and admins.
error-generic = Something went wrong on our side. What you entered before is kept. Please try again.
error-try-again = The bot is busy right now. Please try again in a minute; nothing you entered is lost.
flood-slow-down = You are sending messages very fast. Please wait a little; I will answer again in a moment.
flood-muted = Please wait a moment: I will answer again soon.
group-write-privately = Please write to me in a private chat. For your safety I do not work in groups.

## Settings
settings =
    Settings
    Language: { $language }
    Region: { $region }
    Campaign alerts: { $alerts }
settings-language = 🌐 Language
settings-region = 📍 Region
settings-alerts-off = 🔕 Mute campaign alerts
settings-alerts-on = 🔔 Receive campaign alerts
settings-alerts-active = on
settings-alerts-muted = muted
settings-wipe-chat = 🧹 Wipe this chat
settings-delete-data = 🗑 Delete my data
language-changed = The language is now English.

## Privacy
wipe-confirm = Delete the messages of this chat from the last 48 hours, on your phone and in the bot? This cannot be undone. Your settings stay.
wipe-confirm-button = Yes, wipe this chat
wipe-unsupported-whatsapp = WhatsApp does not let the bot delete messages. To remove this chat from your phone: open the chat, tap the name at the top, then "Clear chat".
wipe-unsupported-console = This terminal cannot delete messages.
whatsapp-list-button = Choose
whatsapp-number-hint = Send the number of your choice.
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
staff-remove-admin = Remove admin #{ $id }
staff-removed = #{ $id } is a member now: nothing more is sent to her as staff. { $alerts ->
    [0] {""}
    [one] Her scheduled alert was cancelled.
   *[other] Her { $alerts } scheduled alerts were cancelled.
}
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
    The code works once, for { $days ->
        [one] 1 day
       *[other] { $days } days
    }.
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
    You have finished the course "{ $course }": { $lessons ->
        [one] 1 lesson
       *[other] { $lessons } lessons
    }, { $score }% of the answers right.
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
coord-lessons = 📊 Lesson statistics
stats-title = Lesson statistics (no person's own results are shown):
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
legal-none-local = We have no confirmed local contact for this in your region yet. These services cover every region: call the free legal-aid line 114 or find your nearest legal-aid centre at ukuk-jardam.gov.kg; for a violation of your rights, the Ombudsman's line 115; Bir Duino's lawyers also help people from every region.
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
dir-title = Legal-aid directory: { $count ->
        [one] 1 entry
       *[other] { $count } entries
    }. Choose one to edit, or add a new one.
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

## Guided dialogs
button-yes = Yes
button-no = No
form-step = Step { $number } of { $total }
form-back = ⬅️ Back
form-cancel = ✖️ Cancel
form-done = ✅ Done
form-today = Today
form-yesterday = Yesterday
form-current-answer = Your answer so far: { $value }
form-need-choice = Please choose one of the buttons.
form-need-multi = Please choose with the buttons, then press Done.
form-need-text = Please answer with a text message.
form-need-number = Please send a number, such as 12.
form-need-date = Please press Today or Yesterday, or type the date like 21.11.2026.
form-need-location = Please share a location (📎 → Location), or skip this question.
form-need-media = Please send a photo, a document or a voice note, or press Done.
form-need-media-or-skip = Please send a photo, a document or a voice note, or press Skip.
form-need-yesno = Please press Yes or No.
form-need-one = Please give at least one answer.
form-choice-unknown = There is no such choice. Please press one of the buttons.
form-text-too-short = This is too short: please write at least { $minimum ->
        [one] 1 character
       *[other] { $minimum } characters
    }.
form-text-too-long = This is too long: { $length } characters, and at most { $maximum } fit. Please shorten it and send it again.
form-number-range = Please send a number from { $minimum } to { $maximum }.
form-date-future = This date is in the future. Please send the date when it happened.
form-too-many = You can send at most { $limit ->
        [one] 1 file
       *[other] { $limit } files
    }.
form-file-too-big = This file is too big: at most { $megabytes } MB. Please send a smaller one.
form-no-files-here = Files cannot be received here. Please press Done.
form-no-files-here-or-skip = Files cannot be received here. Please press Skip.
form-file-failed = This file could not be received. Please send it again.
form-file-received = Received ({ $count } of { $limit }). Send another one, or press Done.
form-files = { $count ->
    [one] 1 file
   *[other] { $count } files
}
form-summary =
    { $form }
    Please check your answers. To change one, press its number.
form-not-given = —
form-send = 📨 Send
form-later = 💾 Finish later
form-use-buttons = Please use the buttons below.
form-not-finished = A few answers are still missing.
form-draft-found =
    { $form }
    You have an unfinished draft of this from { $date }. Do you want to continue it?
form-continue = ▶️ Continue
form-start-over = 🗑 Start again
form-draft-kept = Your draft is kept. You can continue it from the menu at any time.
form-cancel-question = Delete this draft? Nothing will be sent.
form-cancel-confirm = Yes, delete it
form-cancel-keep = No, continue
form-cancelled = The draft is deleted. Nothing was sent.
form-safe-now = ▶️ I am safe now, continue
form-sent =
    Thank you. Your report has been sent to the coordinators of your region.
    Your reference code: { $code }
    You can check its status with /status { $code }. A coordinator may write to you in this chat.
form-sent-anonymous =
    Thank you. Your report has been sent to the coordinators of your region. It does not carry your name or your account.
    Your reference code: { $code }
    Write it down somewhere safe: it is the only way to check the status, with /status { $code }.

## Reports
menu-status = 🔎 Status of a report
monitoring-menu = Monitoring. File a monitoring report (the quota in the local kenesh, a public hearing, a crisis centre, a budget line, a youth activity), see your group's tasks, or join a monitoring group with its code.
monitoring-file = 📋 File a monitoring report
report-kind-incident = incident report
report-kind-monitoring = monitoring report
status-new = New
status-in_review = In review
status-needs_info = Needs information
status-referred = Referred
status-closed = Closed
status-set-in_review = 🔍 In review
status-set-needs_info = ❓ Ask the reporter
status-set-referred = ↪️ Referred
status-set-closed = ✅ Close
status-yours = Your reports:
status-ask-code = Type a reference code (such as R-7K3F9Q) to see its status.
status-unknown = No report has this code. Please check it and try again.
status-line = Report { $code }: { $status } (updated { $date }).
report-new-notice =
    New { $kind } { $code }
    { $category } – { $region }
report-open = 📂 Open
report-take = ✋ Take
report-header =
    { $code } · { $kind }
    Status: { $status } · filed { $created }
report-reporter = Reporter: { $reporter }
report-anonymous = anonymous
report-may-contact = may be contacted in the chat
report-no-contact = does not want to be contacted
report-history = History:
report-event-question = question
report-event-answer = answer
report-evidence = 📎 Evidence ({ $count })
report-evidence-caption = Evidence { $number } · SHA-256 { $sha }…
report-evidence-broken = Evidence { $number } cannot be shown: the file is missing or has been altered.
report-cannot-contact = The reporter cannot be contacted: the report is anonymous or she did not allow it.
report-question-prompt = Type the question for the reporter of { $code }. It is sent to her chat.
report-question-length = Please type a question of at most 1,000 characters.
report-question-sent = The question has been sent.
report-question-notice =
    A coordinator has a question about your report { $code }:
    { $question }
report-answer-button = ✍️ Answer about { $code }
report-answer-prompt = Type your answer about { $code }. It goes to the coordinators only.
report-answer-length = Please type an answer of at most 3,000 characters.
report-answer-filed = Thank you. Your answer has been added to report { $code }.
report-answer-notice = The reporter of { $code } has answered.
report-status-notice = Your report { $code } is now: { $status }.
reports-title = Reports of your regions. Choose a status:
reports-list = { $status } · { $region } · { $category }: { $total } (page { $page })
reports-none = No reports here.
reports-all-categories = All categories
reports-filter-region = 📍 Region
reports-filter-category = 🏷 Category
reports-choose-region = Which region?
reports-choose-category = Which category?
reports-previous = ⬅️ Newer
reports-next = Older ➡️
reports-back-to-list = ⬅️ To the list
reports-export-csv = ⬇️ CSV
reports-export-xlsx = ⬇️ Excel
reports-chart = 📊 Chart
reports-chart-title = Reports of the last { $days } days by category and region
reports-chart-caption = Reports of the last { $days } days.
reports-export-caption = { $count ->
    [one] 1 report.
   *[other] { $count } reports.
}
reports-sheet-title = Reports
export-reference = Code
export-kind = Kind
export-created = Filed
export-status = Status
export-category = Category
export-region = Region
export-event-date = Date of the event
export-evidence = Evidence files
export-contact = Reporter's account

## Campaign alerts
bc-menu = Campaign alerts. Compose one for the people of your regions, or see past and scheduled alerts.
bc-new = ✍️ New alert
bc-list = 📜 Past and scheduled
bc-ask-text = Send the text of the alert, the same for everyone (at most { $limit } characters). Or write it in each language.
bc-each-language = 🌐 A text in each language
bc-ask-text-in = The text in { $language } (at most { $limit } characters):
bc-text-length = Please send a text of 1 to { $limit } characters (this one has { $length }).
bc-draft = Alert: { $text }
bc-photo-state = Photo: { $state }
bc-link-state = Link button: { $state }
bc-audience-state = Audience: { $audience }
bc-ack-state = "I have read this" button: { $state }
bc-recipients = Recipients: { $count }
bc-yes = yes
bc-no = no
bc-everyone = everyone
bc-photo = 🖼 Photo
bc-link = 🔗 Link button
bc-audience = 👥 Audience
bc-ack-toggle = ✅ "I have read this"
bc-preview = 👁 Preview
bc-send-now = 📨 Send now
bc-send-later = 🕒 Send at a time
bc-ask-photo = Send the photo for the alert.
bc-photo-remove = Remove the photo
bc-need-photo = Please send a photo.
bc-ask-link = Send the link and the button's label, such as: https://example.org Read more
bc-bad-link = Please send the link starting with https:// and then the label, such as: https://example.org Read more
bc-audience-help = Audience: { $audience }. Recipients: { $count }. Tap to narrow it; nothing ticked in a row means everyone.
bc-took-course = Completed: { $course }
bc-preview-intro = This is how the alert looks ({ $count ->
        [one] 1 recipient
       *[other] { $count } recipients
    }):
bc-ask-time = When should it go out? Type the date and time (Bishkek time), such as 25.11.2026 18:00.
bc-bad-time = Please type a date and time in the future, such as 25.11.2026 18:00.
bc-sending = Sending to { $count ->
        [one] 1 person
       *[other] { $count } people
    }. A progress message follows.
bc-scheduled = The alert will go out on { $time } (Bishkek time) to whoever is in the audience then; now that is { $count ->
        [one] 1 person
       *[other] { $count } people
    }.
bc-list-title = Campaign alerts:
bc-list-empty = None yet.
bc-list-line = #{ $id } { $status } { $time } «{ $text }»: sent { $sent }, failed { $failed }, blocked { $blocked }, left { $left }
bc-ack-rate = read: { $acked } of { $sent } ({ $percent }%)
bc-whatsapp-line = WhatsApp: delivered { $delivered }, opened { $opened }; not sent because they had not written for over 24 hours: { $outside }
bc-cancel-one = ✖️ Cancel alert #{ $id }
bc-status-scheduled = 🕒 scheduled
bc-status-sending = 📨 sending
bc-status-done = ✅ done
bc-status-cancelled = ✖️ cancelled
bc-progress = Alert #{ $id } is being sent: sent { $sent }, failed { $failed }, blocked { $blocked }, left { $left }.
bc-final = Alert #{ $id } is finished: sent { $sent }, failed { $failed }, blocked the bot { $blocked }, not sent { $skipped }. Read so far: { $acked }.
bc-read-button = ✅ I have read this
bc-thanks-read = Thank you: noted.

## Monitoring groups and tasks
monitoring-tasks = 🗓 My tasks
monitoring-join = ➕ Join a group
coord-groups = 👥 Monitoring groups
group-ask-code = Type the code of your monitoring group (your coordinator gives it), such as K7M2QX.
group-code-unknown = No group has this code. Please check it with your coordinator.
group-joined = You are now a member of the monitoring group "{ $group }". Its tasks and reminders will come here.
group-ask-display-name = If you like, send the name the group should know you by (up to { $limit } characters): your coordinator sees it when she gives out tasks. Or press Skip, and you are shown by a number, such as “Member 2”. “Delete my data” deletes this name too.
group-display-name-length = Please send a name of 1 to { $limit } characters, or press Skip.
group-display-name-saved = Thank you. The group will know you as “{ $name }”.
group-display-name-skipped = All right: the group sees you by a number.
tasks-yours = Your open tasks:
tasks-line = • { $title } – due { $due }
tasks-line-overdue = • ⚠️ { $title } – was due { $due }
tasks-done-button = ✅ Done: { $title }
tasks-none = No open tasks. Well done.
task-marked-done = Marked as done: { $title }. Thank you.
task-snoozed = I will remind you again on { $time }.
task-reminder =
    ⏰ Reminder: { $title }
    Due: { $due } (Bishkek time)
task-due-now =
    ⏰ Due now: { $title }
    Due: { $due } (Bishkek time). If it is done, please press Done.
task-late = (This reminder comes late: the bot was not running at its time.)
task-done = ✅ Done
task-snooze-hour = 💤 In 1 hour
task-snooze-day = 💤 Tomorrow
task-file-report = 📋 File the monitoring report
task-summary-title = Good morning. Overdue tasks in your groups: { $count }
task-summary-line = • { $title } ({ $group }), due { $due }: { $missing } of { $members } not done
task-open-tasks = 🗓 Tasks
groups-title = Monitoring groups of your regions:
groups-none = No groups yet.
group-new = ➕ New group
group-ask-name = The name of the new group, such as "Kara-Suu women's monitoring group":
group-name-length = Please type a name of 2 to 100 characters.
group-ask-region = Which region is the group in?
group-page =
    👥 { $name } · { $region }
    Members: { $members }
group-code = Code to join: { $code }
group-link = Link to join: { $link }
group-settings = Quiet hours: { $start }–{ $end }. Reminders: { $offsets } before.
group-tasks = 🗓 Tasks
task-new = ➕ New task
group-members = 👤 Members
group-renew = 🔄 New code
group-quiet = 🌙 Quiet hours
group-offsets = ⏰ Reminder times
group-members-title = Members of { $name }: { $count }
group-member-line = { $member } · { $region }
group-member-number = Member { $number }
group-member-gone = a former member
group-remove = Remove { $member }
group-ask-quiet = Type the quiet hours, such as 22:00-08:00. Reminders that fall inside are sent when they end.
group-bad-quiet = Please type two times, such as 22:00-08:00.
group-ask-offsets = When should members be reminded before a task is due? Type, such as: 3d 2h (3 days and 2 hours before).
group-bad-offsets = Please type times such as 3d 2h or 1d 30m (d days, h hours, m minutes).
task-ask-title = The task, in a few words, such as "Monthly visit to the crisis centre":
task-title-length = Please type a title of 2 to 200 characters.
task-ask-description = A description for the members (what to do, where). Or skip it.
task-description-length = Please type at most 2,000 characters.
task-ask-due = When is it due? Type the date and time (Bishkek time), such as 28.11.2026 10:00.
task-bad-due = Please type a date and time in the future, such as 28.11.2026 10:00.
task-ask-recurrence = Does it repeat?
task-recurrence-none = Once
task-recurrence-weekly = Every week
task-recurrence-monthly = Every month
task-ask-assignee = For whom?
task-whole-group = The whole group
task-one-member = 👤 { $member }
task-created = Task created: { $title }, due { $due }. Reminders planned: { $reminders }.
group-tasks-title = Tasks of { $name }:
tasks-coordinator-title = Tasks of your groups:
tasks-no-members = no members yet
task-state-done = { $member } ✅
task-state-open = { $member } ⏳
task-state-overdue = { $member } ⚠️
group-completion = Completion: { $rate }% ({ $done } of { $expected })
offset-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}
offset-hours = { $count ->
    [one] 1 hour
   *[other] { $count } hours
}
offset-minutes = { $count } min

# Shown as a notice that leaves nothing in the chat (Telegram's answer to the pressed button).
wipe-done = { $count ->
    [one] One message was removed from this chat.
   *[other] { $count } messages were removed from this chat.
} Telegram does not let the bot remove messages older than 48 hours.
data-deleted-and-wiped = Your data is deleted and this chat is wiped. To use the bot again, send /start.

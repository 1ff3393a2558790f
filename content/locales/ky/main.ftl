## The language, in itself
language-name = Кыргызча
choose-language = Тилди тандаңыз:

## Regions
region-batken = Баткен облусу
region-chui = Чүй облусу
region-issyk_kul = Ысык-Көл облусу
region-jalal_abad = Жалал-Абад облусу
region-naryn = Нарын облусу
region-osh_oblast = Ош облусу
region-talas = Талас облусу
region-bishkek = Бишкек шаары
region-osh_city = Ош шаары
region-none = тандалган жок
region-clear = Аймагым сакталбасын
all-regions = бардык аймактар
choose-region = Сиз кайсы аймактасыз? Ошого жараша сиздин аймагыңыздагы байланыштарды жана жаңылыктарды көрсөтөбүз. Бул кадамды өткөрүп жиберсеңиз да болот.

## Onboarding and the main menu
welcome =
    «Тынчтык» ботуна кош келиңиз.
    Бул жерде БУУ Коопсуздук Кеңешинин 1325-резолюциясы «Аялдар, тынчтык жана коопсуздук» жана юридикалык жардам тууралуу биле аласыз. Окуя тууралуу кайрыла аласыз. Атыңызды айтпай эле өз аймагыңыздан юридикалык жардам таба аласыз. Мониторинг тобуңуздун тапшырмаларын да ушул жерден аткарасыз.
    Бул маекти каалаган убакта «Жөндөөлөр» бөлүмүнөн тазалай аласыз.
main-menu = Башкы меню. Эмне кылгыңыз келет?
menu-lessons = 📚 Сабактар
menu-legal = ⚖️ Юридикалык жардам
menu-report = 📝 Окуя тууралуу кабарлоо
menu-monitor = 👥 Мониторинг
menu-settings = ⚙️ Жөндөөлөр
menu-coordinator = 🗂 Координатор

## Buttons used everywhere
button-main-menu = ⬅️ Башкы меню
button-back = ⬅️ Артка
button-skip = Өткөрүп жиберүү

## Commands
help =
    «Тынчтык» активист аялдарга, жергиликтүү кеңештердин депутаттарына жана мониторинг топторуна жардам берет.
    Каалаган убакта жөнөтө ала турган буйруктар:
    /menu – башкы меню
    /language – тилди өзгөртүү
    /cancel – баштаган ишти токтотуу
    /status – кайрылуунун абалы
    /help – ушул маалымат
    Бул маекти телефонуңуздан өчүрүү үчүн «Жөндөөлөр» бөлүмүн ачып, «Бул маекти тазалоо» дегенди тандаңыз.
command-start = Кайра баштоо
command-menu = Башкы меню
command-help = Жардам
command-language = Тилди өзгөртүү
command-cancel = Баштаган ишти токтотуу
command-status = Кайрылуумдун абалы
cancelled = Токтотулду. Эч нерсе жөнөтүлгөн жок.
unknown-command = Мындай буйрукту билбейм. Мына меню.
not-understood = Түшүнгөн жокмун. Сураныч, менюдан тандаңыз.
button-expired = Бул баскычтын мөөнөтү бүттү. Мына азыркы меню.
access-denied = Бул бөлүм координаторлор жана администраторлор үчүн гана.
error-generic = Биз тарапта бир ката кетти. Мурда киргизгениңиз сакталды. Сураныч, кайра аракет кылып көрүңүз.
error-try-again = Бот азыр бош эмес. Сураныч, бир мүнөттөн кийин кайра аракет кылып көрүңүз; киргизгениңиздин эч бири жоголгон жок.
flood-slow-down = Сиз билдирүүлөрдү өтө тез жөнөтүп жатасыз. Сураныч, бир аз күтө туруңуз; жакында кайра жооп берем.
flood-muted = Сураныч, бир аз күтө туруңуз: жакында кайра жооп берем.
group-write-privately = Сураныч, мага жеке маекте жазыңыз. Сиздин коопсуздугуңуз үчүн мен топтордо иштебейм.

## Settings
settings =
    Жөндөөлөр
    Тил: { $language }
    Аймак: { $region }
    Кампания жарыялары: { $alerts }
settings-language = 🌐 Тил
settings-region = 📍 Аймак
settings-alerts-off = 🔕 Жарыяларды албай коюу
settings-alerts-on = 🔔 Жарыяларды алуу
settings-alerts-active = күйүк
settings-alerts-muted = өчүк
settings-wipe-chat = 🧹 Бул маекти тазалоо
settings-delete-data = 🗑 Маалыматымды өчүрүү
language-changed = Эми тил – кыргызча.

## Privacy
wipe-confirm = Бул маектеги акыркы 48 сааттын билдирүүлөрүн телефонуңуздан жана боттон өчүрөлүбү? Муну артка кайтарууга болбойт. Жөндөөлөрүңүз сакталат.
wipe-confirm-button = Ооба, маекти тазалоо
wipe-unsupported-whatsapp = WhatsApp ботко билдирүүлөрдү өчүрүүгө уруксат бербейт. Бул маекти телефонуңуздан өчүрүү үчүн: маекти ачып, жогорудагы атты басыңыз, анан «Очистить чат» (англисче «Clear chat») дегенди тандаңыз.
wipe-unsupported-console = Бул терминал билдирүүлөрдү өчүрө албайт.
whatsapp-list-button = Тандоо
whatsapp-number-hint = Тандаган пункттун номерин жөнөтүңүз.
delete-confirm = Бот сиз тууралуу билгендин баарын өчүрөлүбү: тилиңизди, аймагыңызды, сабактардагы жыйынтыктарыңызды жана бүтө элек долбоорлоруңузду? Муну артка кайтарууга болбойт.
delete-confirm-button = Ооба, маалыматымды өчүрүү
delete-and-wipe-button = Маалыматты өчүрүп, маекти тазалоо
data-deleted = Маалыматыңыз өчүрүлдү. Ботту кайра колдонгуңуз келсе, /start жөнөтүңүз.

## Coordinators and admins
coordinator-menu =
    Координатордун менюсу
    Сиздин аймактарыңыз: { $regions }
coord-reports = 📥 Келген кайрылуулар
coord-tasks = 🗓 Мониторинг тапшырмалары
coord-alerts = 📣 Кампания жарыялары
admin-staff = 👤 Координаторлор, админдер
admin-invite = ➕ Координатор кошуу
staff-title = Координаторлор жана администраторлор:
staff-line = #{ $id } – { $role } – { $regions }
staff-remove = #{ $id } координаторду алып салуу
staff-remove-admin = #{ $id } администраторду алып салуу
staff-removed = #{ $id } эми катардагы катышуучу: ага кызматкер катары эч нерсе жөнөтүлбөйт. { $alerts ->
    [0] {""}
   *[other] Анын пландалган жарыялары жокко чыгарылды: { $alerts }.
}
role-member = катышуучу
role-coordinator = координатор
role-admin = администратор
invite-choose-regions = Жаңы координатор кайсы аймактарга жооптуу болот? Басып тандаңыз, анан «Кодду түзүү» баскычын басыңыз.
invite-create = ✅ Кодду түзүү
invite-needs-region = Адегенде жок дегенде бир аймакты тандаңыз.
invite-created =
    Чакыруу коду: { $code }
    Аймактар: { $regions }
    Аны жаңы координаторго өзүңүз же коопсуз жол менен бериңиз. Ал ботко муну жөнөтүшү керек:
    /start coord-{ $code }
    Код бир гана жолу колдонулат жана { $days } күн жарактуу.
invite-invalid = Бул код иштебейт. Ал мурда колдонулган же мөөнөтү бүткөн болушу мүмкүн. Администраторуңуздан жаңы код сураңыз.
invite-accepted = Эми сиз төмөнкү аймактар боюнча координаторсуз: { $regions }.

## Lessons
lessons-title = Сабактар. Курсту тандаңыз:
course-button = { $title } ({ $done }/{ $total })
course-page =
    { $title }
    { $description }
lessons-continue = ▶️ Токтогон жерден улантуу
lessons-daily = ⏰ Күнүмдүк сабак
lessons-all-done = Сиз бардык сабактарды бүтүрдүңүз. Алардын каалаганын курстардын тизмесинен кайра өтсөңүз болот.
card-header = 📚 { $lesson } · { $number }/{ $total }
lesson-next = Кийинки ➡️
lesson-previous = ⬅️ Мурунку
lesson-quiz = 📝 Суроолорго өтүү
lesson-contents = 📋 Бул курстун сабактары
quiz-header = ❓ Суроо { $number }/{ $total }
quiz-your-answer = Сиздин жообуңуз: { $answer }
quiz-right = ✅ Туура!
quiz-wrong = ❌ Анча туура эмес. Туура жооп: { $answer }
quiz-next = Кийинки суроо ➡️
lesson-done =
    🎉 Сабак бүттү: { $lesson }
    Туура жооптор: { $total } суроодон { $correct }.
lesson-sources = Булактар: { $sources }
lesson-next-lesson = Кийинки сабак ➡️
course-certificate =
    🏅 Сертификат
    Сиз «{ $course }» курсун бүтүрдүңүз: { $lessons } сабак, жооптордун { $score }% туура.
    Күнү: { $date }
    «Тынчтык» боту менен окуганыңыз үчүн рахмат. Үйрөнгөнүңүздү коомчулугуңуздагы аялдар менен бөлүшүңүз.
daily-off = Күнүмдүк сабак: өчүк.
daily-on = Күнүмдүк сабак: күн сайын саат { $time } (Бишкек убактысы).
daily-choose = Убакытты тандаңыз же 07:30 сыяктуу жазыңыз. Күн сайын ошол убакта сабагыңыздын кийинки карточкасын жөнөтүп турам.
daily-turn-off = Күнүмдүк сабакты өчүрүү
daily-bad-time = Сураныч, убакытты 07:30 сыяктуу жазыңыз же баскычтардын бирин тандаңыз.
daily-turned-on = Даяр. Күн сайын саат { $time } (Бишкек убактысы) сабагыңыздын кийинки карточкасын аласыз.
daily-turned-off = Күнүмдүк сабак өчүрүлдү.
daily-card-intro = ☀️ Сиздин күнүмдүк сабагыңыз
coord-lessons = 📊 Сабактардын статистикасы
stats-title = Сабактардын статистикасы (эч кимдин жеке жыйынтыктары көрсөтүлбөйт):
stats-line = баштагандар: { $started }, бүтүргөндөр: { $finished }, орточо балл: { $score }
stats-score-hidden = көрсөтүлбөйт (3 кишиден аз)

## Legal aid
topic-family_violence = Үй-бүлөлүк зомбулук
topic-politics = Саясаттагы аялдарга карата зомбулук
topic-work = Жумуш, кысым көрсөтүү жана эмгек укуктары
topic-family_law = Алимент, мүлк жана үй-бүлө укугу
topic-torture = Кыйноо жана ырайымсыз мамиле
topic-discrimination = Басмырлоо
topic-free_aid = Мамлекет кепилдеген акысыз юридикалык жардам
legal-emergency-title = 🆘 Азыр коркунуч болсо, чалыңыз:
legal-choose-topic = Аймак: { $region }. Сизге эмне боюнча жардам керек? Теманы тандаңыз же «алимент» сыяктуу сөз жазыңыз. Эмнени издегениңизди биз сактабайбыз.
legal-region-all = бардык аймактар
legal-change-region = 📍 Башка аймак
legal-choose-region = Кайсы аймак үчүн?
legal-results-title = { $topic } – { $region }:
legal-search-found = «{ $query }» боюнча табылды:
legal-search-none = «{ $query }» боюнча эч нерсе табылган жок. Теманы тандаңыз:
legal-type-a-word = Сөз жазыңыз (кеминде 3 тамга) же теманы тандаңыз.
legal-none-local = Бул тема боюнча сиздин аймакта тастыкталган байланыш азырынча жок. Бул кызматтар бардык аймактарда иштейт: акысыз юридикалык жардам үчүн 114кө чалыңыз же жакынкы борборду ukuk-jardam.gov.kg сайтынан табыңыз; укугуңуз бузулса — Акыйкатчынын 115 линиясы; «Бир Дуйно» юристтери да бардык аймактардын тургундарына жардам беришет.
legal-nothing = Бул тема боюнча байланыштар азырынча жок. Сураныч, башка теманы же аймакты тандаңыз.
legal-other-topic = 🔎 Башка тема
legal-source = Булак: { $source } (текшерилген: { $checked })
legal-privacy-tip = Бул маекти телефондон өчүрүү үчүн: Жөндөөлөр → Бул маекти тазалоо.
legal-nearest = Жөнөткөн жайгашкан жериңиз боюнча эң жакындары биринчи (ал сакталбайт):
legal-distance = Болжол менен { $km } км.
legal-no-coordinates = Азырынча бир да байланыштын картадагы дареги жок, ошондуктан аралык боюнча иреттөөгө болбойт. Теманы тандаңыз.
language-short-ky = кыргызча
language-short-ru = орусча
language-short-en = англисче
language-short-uz = өзбекче

## Legal-aid directory (admins)
coord-directory = 📒 Юридикалык жардам тизмеси
dir-title = Юридикалык жардам тизмеси: { $count } жазуу. Өзгөртүү үчүн бирөөнү тандаңыз же жаңысын кошуңуз.
dir-add = ➕ Жазуу кошуу
dir-hidden-mark = (жашырылган)
dir-edit-name = ✏️ Аталышы
dir-edit-about = ✏️ Сүрөттөмөсү
dir-edit-address = ✏️ Дареги
dir-edit-hours = ✏️ Иш убактысы
dir-edit-phones = ✏️ Телефондор
dir-edit-website = ✏️ Сайт
dir-edit-email = ✏️ Эл. почта
dir-edit-regions = 📍 Аймактар
dir-edit-topics = 🏷 Темалар
dir-hide = 🙈 Элден жашыруу
dir-show = 👁 Элге көрсөтүү
dir-cancel = ✖️ Жокко чыгаруу
dir-field-name = Аталышы
dir-field-about = Эмне жардам берет
dir-field-address = Дареги
dir-field-hours = Иш убактысы
dir-ask-text = { $field }, тили: { $language }. Текстти жөнөтүңүз. Даректи же иш убактысын өчүрүү үчүн - жөнөтүңүз.
dir-current = Азыр: { $value }
dir-ask-phones = Телефон номерлерин үтүр менен, өлкөнүн коду менен жөнөтүңүз, мисалы +996 312 123 456. Өчүрүү үчүн - жөнөтүңүз.
dir-ask-website = Сайттын дарегин https:// менен баштап жөнөтүңүз. Өчүрүү үчүн - жөнөтүңүз.
dir-ask-email = Электрондук почтанын дарегин жөнөтүңүз. Өчүрүү үчүн - жөнөтүңүз.
dir-ask-source = Бул маалымат кайдан алынды? Аны текшерген ачык булакты жазыңыз (сайт же документ). Ал элге бүгүнкү күн менен көрсөтүлөт.
dir-choose-regions = Кайсы аймактарда жардам берет? Тандап, анан «Даяр» баскычын басыңыз.
dir-choose-topics = Кайсы темалар боюнча жардам берет? Тандап, анан «Даяр» баскычын басыңыз.
dir-done = ✅ Даяр
dir-choose-one = Жок дегенде бирөөнү тандаңыз.
dir-send-text = Сураныч, жоопту текст менен жөнөтүңүз.
dir-too-long = Өтө узун: 1000 белгиден ашпасын.
dir-bad-phone = «{ $phone }» туура эмес номер. Аны өлкөнүн коду менен жазыңыз, мисалы +996 312 123 456, же 114 сыяктуу үч сандуу кызмат номерин жазыңыз.
dir-bad-website = Сайттын дареги https:// же http:// менен башталышы керек.
dir-bad-email = Бул электрондук почтанын дарегине окшобойт.
dir-bad-source = Сураныч, булакты жазыңыз: сайт же документ.
dir-invalid = Бул жазууну сактоого болбойт: { $problem }
dir-saved = Сакталды. Эл өзгөрүүнү дароо көрөт.

## Guided dialogs
button-yes = Ооба
button-no = Жок
form-step = Кадам { $number }/{ $total }
form-back = ⬅️ Артка
form-cancel = ✖️ Жокко чыгаруу
form-done = ✅ Даяр
form-today = Бүгүн
form-yesterday = Кечээ
form-current-answer = Азыркы жообуңуз: { $value }
form-need-choice = Сураныч, баскычтардын бирин тандаңыз.
form-need-multi = Сураныч, баскычтар менен тандап, анан «Даяр» баскычын басыңыз.
form-need-text = Сураныч, текст менен жооп бериңиз.
form-need-number = Сураныч, сан жөнөтүңүз, мисалы 12.
form-need-date = Сураныч, «Бүгүн» же «Кечээ» баскычын басыңыз, же күндү 21.11.2026 түрүндө жазыңыз.
form-need-location = Сураныч, жайгашкан жериңизди жөнөтүңүз (📎 → «Геопозиция» же «Location») же бул суроону өткөрүп жибериңиз.
form-need-media = Сураныч, сүрөт, документ же үн билдирүү жөнөтүңүз, же «Даяр» баскычын басыңыз.
form-need-media-or-skip = Сураныч, сүрөт, документ же үн билдирүү жөнөтүңүз, же «Өткөрүп жиберүү» баскычын басыңыз.
form-need-yesno = Сураныч, «Ооба» же «Жок» баскычын басыңыз.
form-need-one = Сураныч, жок дегенде бир жооп бериңиз.
form-choice-unknown = Мындай тандоо жок. Сураныч, баскычтардын бирин басыңыз.
form-text-too-short = Өтө кыска: сураныч, кеминде { $minimum } белги жазыңыз.
form-text-too-long = Өтө узун: { $length } белги, ал эми эң көп дегенде { $maximum } белги батат. Сураныч, кыскартып, кайра жөнөтүңүз.
form-number-range = Сураныч, { $minimum } менен { $maximum } ортосундагы сан жөнөтүңүз.
form-date-future = Бул күн али келе элек. Сураныч, ал болгон күндү жөнөтүңүз.
form-too-many = Эң көп дегенде { $limit } файл жөнөтө аласыз.
form-file-too-big = Бул файл өтө чоң: эң көп дегенде { $megabytes } МБ болушу керек. Сураныч, кичирээк файл жөнөтүңүз.
form-no-files-here = Бул жерде файлдар кабыл алынбайт. Сураныч, «Даяр» баскычын басыңыз.
form-no-files-here-or-skip = Бул жерде файлдар кабыл алынбайт. Сураныч, «Өткөрүп жиберүү» баскычын басыңыз.
form-file-failed = Бул файлды алуу мүмкүн болгон жок. Сураныч, аны кайра жөнөтүңүз.
form-file-received = Кабыл алынды ({ $count }/{ $limit }). Дагы бирөөнү жөнөтүңүз же «Даяр» баскычын басыңыз.
form-files = { $count } файл
form-summary =
    { $form }
    Сураныч, жоопторуңузду текшериңиз. Жоопту өзгөртүү үчүн анын номерин басыңыз.
form-not-given = —
form-send = 📨 Жөнөтүү
form-later = 💾 Кийин бүтүрүү
form-use-buttons = Сураныч, төмөнкү баскычтарды колдонуңуз.
form-not-finished = Айрым суроолорго али жооп бериле элек.
form-draft-found =
    { $form }
    Сиз { $date } күнү баштаган долбоор бүтө элек. Аны улантасызбы?
form-continue = ▶️ Улантуу
form-start-over = 🗑 Кайра баштоо
form-draft-kept = Долбооруңуз сакталды. Аны каалаган убакта менюдан улантсаңыз болот.
form-cancel-question = Бул долбоорду өчүрөлүбү? Эч нерсе жөнөтүлбөйт.
form-cancel-confirm = Ооба, өчүрүү
form-cancel-keep = Жок, улантуу
form-cancelled = Долбоор өчүрүлдү. Эч нерсе жөнөтүлгөн жок.
form-safe-now = ▶️ Азыр коопсузмун, улантуу
form-sent =
    Рахмат. Кайрылууңуз аймагыңыздын координаторлоруна жөнөтүлдү.
    Кайрылуунун коду: { $code }
    Анын абалын /status { $code } буйругу менен текшерсеңиз болот. Координатор сизге ушул маекте жазышы мүмкүн.
form-sent-anonymous =
    Рахмат. Кайрылууңуз аймагыңыздын координаторлоруна жөнөтүлдү. Анда сиздин атыңыз да, аккаунтуңуз да жок.
    Кайрылуунун коду: { $code }
    Аны коопсуз жерге жазып коюңуз: абалын /status { $code } буйругу менен ушул код аркылуу гана текшере аласыз. Башка жол жок.

## Reports
menu-status = 🔎 Кайрылуунун абалы
monitoring-menu = Мониторинг. Бул жерде мониторинг отчетун тапшырып (жергиликтүү кеңештеги квота, коомдук угуу, кризистик борбор, бюджеттин беренеси, жаштар үчүн иш-чара), тобуңуздун тапшырмаларын көрүп же мониторинг тобуна анын коду менен кошула аласыз.
monitoring-file = 📋 Мониторинг отчетун тапшыруу
report-kind-incident = окуя тууралуу кайрылуу
report-kind-monitoring = мониторинг отчету
status-new = Жаңы
status-in_review = Каралууда
status-needs_info = Маалымат керек
status-referred = Башка мекемеге берилди
status-closed = Жабылды
status-set-in_review = 🔍 Каралууда
status-set-needs_info = ❓ Жөнөткөн адамдан суроо
status-set-referred = ↪️ Башка мекемеге берилди
status-set-closed = ✅ Жабуу
status-yours = Сиздин кайрылууларыңыз:
status-ask-code = Абалын көрүү үчүн кайрылуунун кодун жазыңыз (мисалы, R-7K3F9Q).
status-unknown = Мындай коду бар кайрылуу жок. Сураныч, кодду текшерип, кайра аракет кылып көрүңүз.
status-line = Кайрылуу { $code }: { $status } (жаңыланган күнү: { $date }).
report-new-notice =
    Жаңы кайрылуу келди: { $kind }, { $code }
    { $category } – { $region }
report-open = 📂 Ачуу
report-take = ✋ Ишке алуу
report-header =
    { $code } · { $kind }
    Абалы: { $status } · тапшырылган күнү: { $created }
report-reporter = Кайрылууну жөнөткөн адам: { $reporter }
report-anonymous = аноним
report-may-contact = маекте байланышууга болот
report-no-contact = байланышууну каалабайт
report-history = Тарыхы:
report-event-question = суроо
report-event-answer = жооп
report-evidence = 📎 Далилдер ({ $count })
report-evidence-caption = Далил { $number } · SHA-256 { $sha }…
report-evidence-broken = Далил { $number } көрсөтүлбөйт: файл жок же өзгөртүлгөн.
report-cannot-contact = Кайрылууну жөнөткөн адам менен байланышууга болбойт: кайрылуу аноним же ал буга уруксат берген эмес.
report-question-prompt = { $code } кайрылуусун жөнөткөн адамга суроону жазыңыз. Ал анын маегине жөнөтүлөт.
report-question-length = Сураныч, суроону 1000 белгиден ашырбай жазыңыз.
report-question-sent = Суроо жөнөтүлдү.
report-question-notice =
    Координатордун { $code } кайрылууңуз боюнча суроосу бар:
    { $question }
report-answer-button = ✍️ { $code } боюнча жооп берүү
report-answer-prompt = { $code } боюнча жообуңузду жазыңыз. Аны координаторлор гана көрөт.
report-answer-length = Сураныч, жоопту 3000 белгиден ашырбай жазыңыз.
report-answer-filed = Рахмат. Жообуңуз { $code } кайрылуусуна кошулду.
report-answer-notice = { $code } кайрылуусун жөнөткөн адам жооп берди.
report-status-notice = { $code } кайрылууңуздун абалы эми: { $status }.
reports-title = Аймактарыңыздан келген кайрылуулар. Абалын тандаңыз:
reports-list = { $status } · { $region } · { $category }: { $total } ({ $page }-бет)
reports-none = Бул жерде кайрылуу жок.
reports-all-categories = Бардык категориялар
reports-filter-region = 📍 Аймак
reports-filter-category = 🏷 Категория
reports-choose-region = Кайсы аймак?
reports-choose-category = Кайсы категория?
reports-previous = ⬅️ Жаңыраактары
reports-next = Мурункулары ➡️
reports-back-to-list = ⬅️ Тизмеге
reports-export-csv = ⬇️ CSV
reports-export-xlsx = ⬇️ Excel
reports-chart = 📊 Диаграмма
reports-chart-title = Акыркы { $days } күндөгү кайрылуулар, категориялар жана аймактар боюнча
reports-chart-caption = Акыркы { $days } күндөгү кайрылуулар.
reports-export-caption = { $count } кайрылуу.
reports-sheet-title = Кайрылуулар
export-reference = Код
export-kind = Түрү
export-created = Тапшырылган күнү
export-status = Абалы
export-category = Категория
export-region = Аймак
export-event-date = Окуянын күнү
export-evidence = Далил файлдары
export-contact = Жөнөтүүчүнүн аккаунту

## Campaign alerts
bc-menu = Кампания жарыялары. Аймактарыңыздагы адамдар үчүн жарыя түзүңүз же мурунку жана пландалган жарыяларды караңыз.
bc-new = ✍️ Жаңы жарыя
bc-list = 📜 Мурунку жана пландалган
bc-ask-text = Жарыянын текстин жөнөтүңүз, баарына бирдей (эң көп дегенде { $limit } белги). Же аны ар бир тилде өзүнчө жазыңыз.
bc-each-language = 🌐 Ар бир тилге өзүнчө текст
bc-ask-text-in = Тили: { $language }. Текстти жөнөтүңүз (эң көп дегенде { $limit } белги):
bc-text-length = Сураныч, узундугу 1 белгиден { $limit } белгиге чейин болгон текст жөнөтүңүз (бул текстте { $length } белги бар).
bc-draft = Жарыя: { $text }
bc-photo-state = Сүрөт: { $state }
bc-link-state = Шилтеме баскычы: { $state }
bc-audience-state = Алуучулар: { $audience }
bc-ack-state = «Окудум» баскычы: { $state }
bc-recipients = Алуучулардын саны: { $count }
bc-yes = ооба
bc-no = жок
bc-everyone = баары
bc-photo = 🖼 Сүрөт
bc-link = 🔗 Шилтеме баскычы
bc-audience = 👥 Алуучулар
bc-ack-toggle = ✅ «Окудум»
bc-preview = 👁 Алдын ала көрүү
bc-send-now = 📨 Азыр жөнөтүү
bc-send-later = 🕒 Белгилүү убакта жөнөтүү
bc-ask-photo = Жарыя үчүн сүрөттү жөнөтүңүз.
bc-photo-remove = Сүрөттү алып салуу
bc-need-photo = Сураныч, сүрөт жөнөтүңүз.
bc-ask-link = Шилтемени жана баскычтагы жазууну жөнөтүңүз, мисалы: https://example.org Толугураак
bc-bad-link = Сураныч, адегенде https:// менен башталган шилтемени, анан баскычтагы жазууну жөнөтүңүз, мисалы: https://example.org Толугураак
bc-audience-help = Алуучулар: { $audience }. Алуучулардын саны: { $count }. Тизмени тарытуу үчүн баскычтарды басыңыз; бир катарда эч нерсе белгиленбесе, «баары» дегенди билдирет.
bc-took-course = Курсту бүтүргөндөр: { $course }
bc-preview-intro = Жарыя ушундай көрүнөт (алуучулардын саны: { $count }):
bc-ask-time = Качан жөнөтүлсүн? Күнүн жана убактысын Бишкек убактысы менен жазыңыз, мисалы 25.11.2026 18:00.
bc-bad-time = Сураныч, келечектеги күндү жана убакытты жазыңыз, мисалы 25.11.2026 18:00.
bc-sending = Жөнөтүлүп жатат. Алуучулардын саны: { $count }. Жөнөтүүнүн жүрүшүн өзүнчө жазып турам.
bc-scheduled = Жарыя { $time } (Бишкек убактысы менен) жөнөтүлөт. Алуучулар жөнөтүү учурунда аныкталат; азыр алардын саны: { $count }.
bc-list-title = Кампания жарыялары:
bc-list-empty = Азырынча жок.
bc-list-line = #{ $id } { $status } { $time } «{ $text }»: жөнөтүлдү: { $sent }, ката: { $failed }, ботту бөгөттөгөндөр: { $blocked }, калды: { $left }
bc-ack-rate = окугандар: { $sent } адамдан { $acked } ({ $percent }%)
bc-whatsapp-line = WhatsApp: жеткирилди { $delivered }, ачылды { $opened }; адам ботко 24 сааттан ашык жазбагандыктан жөнөтүлгөн жок: { $outside }
bc-cancel-one = ✖️ #{ $id } жокко чыгаруу
bc-status-scheduled = 🕒 пландалган
bc-status-sending = 📨 жөнөтүлүүдө
bc-status-done = ✅ бүттү
bc-status-cancelled = ✖️ жокко чыгарылды
bc-progress = #{ $id } жарыя жөнөтүлүүдө: жөнөтүлдү: { $sent }, ката: { $failed }, ботту бөгөттөгөндөр: { $blocked }, калды: { $left }.
bc-final = #{ $id } жарыяны жөнөтүү бүттү: жөнөтүлдү: { $sent }, ката: { $failed }, ботту бөгөттөгөндөр: { $blocked }, жөнөтүлгөн жок: { $skipped }. Азырга чейин окугандар: { $acked }.
bc-read-button = ✅ Окудум
bc-thanks-read = Рахмат, белгиленди.

## Monitoring groups and tasks
monitoring-tasks = 🗓 Тапшырмаларым
monitoring-join = ➕ Топко кошулуу
coord-groups = 👥 Мониторинг топтору
group-ask-code = Мониторинг тобуңуздун кодун жазыңыз (аны координаторуңуз берет), мисалы K7M2QX.
group-code-unknown = Мындай коду бар топ жок. Сураныч, кодду координаторуңуздан тактап алыңыз.
group-joined = Эми сиз «{ $group }» мониторинг тобундасыз. Анын тапшырмалары жана эскертмелери ушул жерге келет.
group-ask-display-name = Топто сизди кайсы ат менен билишсин? Кааласаңыз, ошол атты жөнөтүңүз ({ $limit } белгиден ашпасын): координатор аны тапшырмаларды бөлүштүргөндө көрөт. Же «Өткөрүп жиберүү» баскычын басыңыз: анда сиз номер менен көрсөтүлөсүз, мисалы «Катышуучу 2». «Маалыматымды өчүрүү» бул атты да өчүрөт.
group-display-name-length = Сураныч, узундугу { $limit } белгиге чейинки ат жөнөтүңүз, же «Өткөрүп жиберүү» баскычын басыңыз.
group-display-name-saved = Рахмат. Топто сизди «{ $name }» деп билишет.
group-display-name-skipped = Макул: топто сиз номер менен көрүнөсүз.
tasks-yours = Аткарыла элек тапшырмаларыңыз:
tasks-line = • { $title } – мөөнөтү: { $due }
tasks-line-overdue = • ⚠️ { $title } – мөөнөтү өттү: { $due }
tasks-done-button = ✅ Даяр: { $title }
tasks-none = Аткарыла элек тапшырма жок. Баракелде!
task-marked-done = Тапшырма аткарылды деп белгиленди: { $title }. Рахмат.
task-snoozed = Кайра эскертүү убактысы: { $time }.
task-reminder =
    ⏰ Эскертме: { $title }
    Мөөнөтү: { $due } (Бишкек убактысы)
task-due-now =
    ⏰ Мөөнөтү келди: { $title }
    Мөөнөтү: { $due } (Бишкек убактысы). Тапшырма аткарылган болсо, сураныч, «Аткарылды» баскычын басыңыз.
task-late = (Бул эскертме кечигип келди: белгиленген убакта бот иштеген жок.)
task-done = ✅ Аткарылды
task-snooze-hour = 💤 1 сааттан кийин
task-snooze-day = 💤 Эртең
task-file-report = 📋 Мониторинг отчетун тапшыруу
task-summary-title = Кутман таң. Топторуңуздагы мөөнөтү өткөн тапшырмалар: { $count }
task-summary-line = • { $title } ({ $group }), мөөнөтү { $due }: аткарбагандар: { $members } адамдан { $missing }
task-open-tasks = 🗓 Тапшырмалар
groups-title = Аймактарыңыздагы мониторинг топтору:
groups-none = Азырынча топ жок.
group-new = ➕ Жаңы топ
group-ask-name = Жаңы топтун аталышы, мисалы «Кара-Суу аялдарынын мониторинг тобу»:
group-name-length = Сураныч, аталышты 2 белгиден 100 белгиге чейин жазыңыз.
group-ask-region = Топ кайсы аймакта?
group-page =
    👥 { $name } · { $region }
    Катышуучулар: { $members }
group-code = Кошулуу коду: { $code }
group-link = Кошулуу шилтемеси: { $link }
group-settings = Тынч сааттар: { $start }–{ $end }. Эскертмелер: мөөнөткө { $offsets } калганда.
group-tasks = 🗓 Тапшырмалар
task-new = ➕ Жаңы тапшырма
group-members = 👤 Катышуучулар
group-renew = 🔄 Жаңы код
group-quiet = 🌙 Тынч сааттар
group-offsets = ⏰ Эскертме убактысы
group-members-title = «{ $name }» тобунун катышуучулары: { $count }
group-member-line = { $member } · { $region }
group-member-number = Катышуучу { $number }
group-member-gone = мурдагы катышуучу
group-remove = Топтон чыгаруу: { $member }
group-ask-quiet = Тынч сааттарды жазыңыз, мисалы 22:00-08:00. Ошол убакытка туш келген эскертмелер тынч сааттар бүткөндө жөнөтүлөт.
group-bad-quiet = Сураныч, башталышын жана аягын жазыңыз, мисалы 22:00-08:00.
group-ask-offsets = Тапшырманын мөөнөтүнө канча убакыт калганда катышуучуларга эскертүү керек? Мисалы, мындай жазыңыз: 3 күн 2 саат (мөөнөткө 3 күн жана 2 саат калганда).
group-bad-offsets = Сураныч, убакытты күн, саат жана мүнөт менен жазыңыз, мисалы 3 күн 2 саат же 1 күн 30 мүнөт.
task-ask-title = Тапшырманы бир нече сөз менен жазыңыз, мисалы «Кризистик борборго ай сайын баруу»:
task-title-length = Сураныч, аталышты 2 белгиден 200 белгиге чейин жазыңыз.
task-ask-description = Катышуучулар үчүн сүрөттөмө (эмне кылуу керек, кайда). Же бул кадамды өткөрүп жибериңиз.
task-description-length = Сураныч, 2000 белгиден ашырбай жазыңыз.
task-ask-due = Мөөнөтү качан? Күнүн жана убактысын Бишкек убактысы менен жазыңыз, мисалы 28.11.2026 10:00.
task-bad-due = Сураныч, келечектеги күндү жана убакытты жазыңыз, мисалы 28.11.2026 10:00.
task-ask-recurrence = Тапшырма кайталанабы?
task-recurrence-none = Бир жолу
task-recurrence-weekly = Жума сайын
task-recurrence-monthly = Ай сайын
task-ask-assignee = Ким үчүн?
task-whole-group = Бүт топ
task-one-member = 👤 { $member }
task-created = Тапшырма түзүлдү: { $title }, мөөнөтү { $due }. Пландалган эскертмелер: { $reminders }.
group-tasks-title = «{ $name }» тобунун тапшырмалары:
tasks-coordinator-title = Топторуңуздун тапшырмалары:
tasks-no-members = азырынча катышуучу жок
task-state-done = { $member } ✅
task-state-open = { $member } ⏳
task-state-overdue = { $member } ⚠️
group-completion = Аткарылышы: { $rate }% ({ $expected } ичинен { $done })
offset-days = { $count ->
   *[other] { $count } күн
}
offset-hours = { $count ->
   *[other] { $count } саат
}
offset-minutes = { $count } мүн.

# Маекте из калтырбаган эскертүү катары көрсөтүлөт (Telegram басылган баскычка жооп берет).
wipe-done = Бул маек тазаланды: { $count } билдирүү өчүрүлдү. Telegram 48 сааттан эскилерин өчүрүүгө уруксат бербейт.
data-deleted-and-wiped = Маалыматыңыз өчүрүлдү, маек тазаланды. Ботту кайра колдонуу үчүн /start жөнөтүңүз.

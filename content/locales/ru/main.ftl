## The language, in itself
language-name = Русский
choose-language = Выберите язык:

## Regions
region-batken = Баткенская область
region-chui = Чуйская область
region-issyk_kul = Иссык-Кульская область
region-jalal_abad = Джалал-Абадская область
region-naryn = Нарынская область
region-osh_oblast = Ошская область
region-talas = Таласская область
region-bishkek = г. Бишкек
region-osh_city = г. Ош
region-none = не выбран
region-clear = Не сохранять мой регион
all-regions = все регионы
choose-region = В каком вы регионе? Так мы покажем контакты и новости для вашего региона. Этот шаг можно пропустить.

## Onboarding and the main menu
welcome =
    Добро пожаловать в «Тынчтык».
    Здесь можно узнать о резолюции 1325 Совета Безопасности ООН «Женщины, мир и безопасность» и о юридической помощи, сообщить о случае, найти юридическую помощь в своём регионе, не называя своего имени, и выполнять задачи вашей группы мониторинга.
    Эту переписку можно в любой момент стереть в «Настройках».
main-menu = Главное меню. Что вы хотите сделать?
menu-lessons = 📚 Уроки
menu-legal = ⚖️ Юридическая помощь
menu-report = 📝 Сообщить о случае
menu-monitor = 👥 Мониторинг
menu-settings = ⚙️ Настройки
menu-coordinator = 🗂 Координатор

## Buttons used everywhere
button-main-menu = ⬅️ Главное меню
button-back = ⬅️ Назад
button-skip = Пропустить

## Commands
help =
    «Тынчтык» помогает женщинам-активисткам, депутатам местных кенешей и группам мониторинга.
    Команды, которые можно отправить в любой момент:
    /menu — главное меню
    /language — сменить язык
    /cancel — прервать текущее действие
    /status — статус обращения по его коду
    /help — эта справка
    Чтобы убрать эту переписку с телефона, откройте «Настройки» и выберите «Стереть этот чат».
command-start = Начать заново
command-menu = Главное меню
command-help = Помощь
command-language = Сменить язык
command-cancel = Прервать текущее действие
command-status = Статус моего обращения
cancelled = Остановлено. Ничего не отправлено.
unknown-command = Такой команды я не знаю. Вот меню.
not-understood = Не получилось понять. Пожалуйста, выберите пункт в меню.
button-expired = Эта кнопка больше не действует. Вот актуальное меню.
access-denied = Этот раздел только для координаторов и администраторов.
error-generic = У нас что-то пошло не так. Всё, что вы ввели раньше, сохранено. Пожалуйста, попробуйте ещё раз.
error-try-again = Бот сейчас занят. Пожалуйста, попробуйте ещё раз через минуту — ничего из введённого не потеряно.
flood-slow-down = Вы отправляете сообщения очень быстро. Пожалуйста, подождите немного — я скоро снова отвечу.
flood-muted = Пожалуйста, подождите немного: скоро я снова отвечу.
group-write-privately = Пожалуйста, напишите мне в личном чате. Ради вашей безопасности я не работаю в группах.

## Settings
settings =
    Настройки
    Язык: { $language }
    Регион: { $region }
    Оповещения о кампаниях: { $alerts }
settings-language = 🌐 Язык
settings-region = 📍 Регион
settings-alerts-off = 🔕 Не получать оповещения
settings-alerts-on = 🔔 Получать оповещения
settings-alerts-active = включены
settings-alerts-muted = отключены
settings-wipe-chat = 🧹 Стереть этот чат
settings-delete-data = 🗑 Удалить мои данные
language-changed = Теперь язык — русский.

## Privacy
wipe-confirm = Удалить сообщения этого чата за последние 48 часов — на вашем телефоне и в боте? Это нельзя отменить. Ваши настройки сохранятся.
wipe-confirm-button = Да, стереть этот чат
wipe-unsupported-whatsapp = WhatsApp не позволяет боту удалять сообщения. Чтобы убрать этот чат с телефона, откройте его, нажмите на имя вверху, затем «Очистить чат».
wipe-unsupported-console = Этот терминал не умеет удалять сообщения.
whatsapp-list-button = Выбрать
whatsapp-number-hint = Отправьте номер выбранного пункта.
delete-confirm = Удалить всё, что бот знает о вас: язык, регион, ваш прогресс и незаконченные черновики? Это нельзя отменить.
delete-confirm-button = Да, удалить мои данные
delete-and-wipe-button = Удалить данные и стереть чат
data-deleted = Ваши данные удалены. Чтобы снова пользоваться ботом, отправьте /start.

## Coordinators and admins
coordinator-menu =
    Меню координатора
    Ваши регионы: { $regions }
coord-reports = 📥 Обращения
coord-tasks = 🗓 Задачи мониторинга
coord-alerts = 📣 Оповещения о кампаниях
admin-staff = 👤 Координаторы и админы
admin-invite = ➕ Добавить координатора
staff-title = Координаторы и администраторы:
staff-line = #{ $id } — { $role } — { $regions }
staff-remove = Убрать координатора #{ $id }
staff-remove-admin = Убрать администратора #{ $id }
staff-removed = #{ $id } теперь обычный участник: как сотруднице ей больше ничего не приходит. { $alerts ->
    [0] {""}
   *[other] Отменено её запланированных оповещений: { $alerts }.
}
role-member = участник
role-coordinator = координатор
role-admin = администратор
invite-choose-regions = За какие регионы будет отвечать новый координатор? Нажмите, чтобы выбрать, затем — «Создать код».
invite-create = ✅ Создать код
invite-needs-region = Сначала выберите хотя бы один регион.
invite-created =
    Код приглашения: { $code }
    Регионы: { $regions }
    Передайте его новому координатору лично или по надёжному каналу. Ей нужно отправить боту:
    /start coord-{ $code }
    Код одноразовый и действует { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }.
invite-invalid = Этот код не работает: возможно, его уже использовали или срок его действия истёк. Попросите у администратора новый.
invite-accepted = Теперь вы координатор по регионам: { $regions }.

## Lessons
lessons-title = Уроки. Выберите курс:
course-button = { $title } ({ $done }/{ $total })
course-page =
    { $title }
    { $description }
lessons-continue = ▶️ Продолжить с того же места
lessons-daily = ⏰ Ежедневный урок
lessons-all-done = Вы прошли все уроки. Любой из них можно пройти ещё раз из списка курсов.
card-header = 📚 { $lesson } · { $number }/{ $total }
lesson-next = Далее ➡️
lesson-previous = ⬅️ Назад
lesson-quiz = 📝 К вопросам
lesson-contents = 📋 Уроки этого курса
quiz-header = ❓ Вопрос { $number } из { $total }
quiz-your-answer = Ваш ответ: { $answer }
quiz-right = ✅ Верно!
quiz-wrong = ❌ Не совсем так. Правильный ответ: { $answer }
quiz-next = Следующий вопрос ➡️
lesson-done =
    🎉 Урок пройден: { $lesson }
    Правильных ответов: { $correct } из { $total }.
lesson-sources = Источники: { $sources }
lesson-next-lesson = Следующий урок ➡️
course-certificate =
    🏅 Сертификат
    Вы прошли курс «{ $course }»: { $lessons ->
        [one] { $lessons } урок
        [few] { $lessons } урока
       *[many] { $lessons } уроков
    }, правильных ответов — { $score }%.
    Дата: { $date }
    Спасибо, что учились вместе с ботом «Тынчтык». Поделитесь тем, что вы узнали, с женщинами вашего сообщества.
daily-off = Ежедневный урок: выключен.
daily-on = Ежедневный урок: каждый день в { $time } (по времени Бишкека).
daily-choose = Выберите время или напишите его, например 07:30. Каждый день в это время я буду присылать вам следующую карточку урока.
daily-turn-off = Выключить ежедневный урок
daily-bad-time = Пожалуйста, напишите время в виде 07:30 или выберите одну из кнопок.
daily-turned-on = Готово. Каждый день в { $time } (по времени Бишкека) вы будете получать следующую карточку урока.
daily-turned-off = Ежедневный урок выключен.
daily-card-intro = ☀️ Ваш ежедневный урок
coord-lessons = 📊 Статистика уроков
stats-title = Статистика уроков (ничьи личные результаты не показываются):
stats-line = начали: { $started }, закончили: { $finished }, средний балл: { $score }
stats-score-hidden = не показывается (меньше трёх человек)

## Legal aid
topic-family_violence = Семейное насилие
topic-politics = Насилие в отношении женщин в политике
topic-work = Работа, домогательства и трудовые права
topic-family_law = Алименты, имущество и семейное право
topic-torture = Пытки и жестокое обращение
topic-discrimination = Дискриминация
topic-free_aid = Бесплатная юридическая помощь от государства
legal-emergency-title = 🆘 Если вам угрожает опасность, звоните:
legal-choose-topic = Регион: { $region }. С чем вам нужна помощь? Выберите тему или напишите слово, например «алименты». Мы не сохраняем, что вы ищете.
legal-region-all = все регионы
legal-change-region = 📍 Другой регион
legal-choose-region = Для какого региона?
legal-results-title = { $topic } — { $region }:
legal-search-found = Найдено по запросу «{ $query }»:
legal-search-none = По запросу «{ $query }» ничего не найдено. Выберите тему:
legal-type-a-word = Напишите слово (не короче 3 букв) или выберите тему.
legal-none-local = Подтверждённых контактов по этой теме в вашем регионе у нас пока нет. Эти службы работают во всех регионах: бесплатная юридическая помощь — позвоните на линию 114 или найдите ближайший центр на сайте ukuk-jardam.gov.kg; при нарушении ваших прав — линия Омбудсмена 115; юристы «Бир Дуйно» тоже помогают жителям всех регионов.
legal-nothing = По этой теме контактов пока нет. Пожалуйста, выберите другую тему или регион.
legal-other-topic = 🔎 Другая тема
legal-source = Источник: { $source } (проверено { $checked })
legal-privacy-tip = Чтобы убрать эту переписку с телефона: Настройки → Стереть этот чат.
legal-nearest = Сначала ближайшие, по вашей геопозиции (она не сохраняется):
legal-distance = Примерно { $km } км.
legal-no-coordinates = Ни у одного контакта пока нет адреса на карте, поэтому отсортировать по расстоянию нельзя. Выберите тему.
language-short-ky = кыргызский
language-short-ru = русский
language-short-en = английский
language-short-uz = узбекский

## Legal-aid directory (admins)
coord-directory = 📒 Справочник юридической помощи
dir-title = Справочник юридической помощи: записей — { $count }. Выберите запись, чтобы изменить её, или добавьте новую.
dir-add = ➕ Добавить запись
dir-hidden-mark = (скрыта)
dir-edit-name = ✏️ Название
dir-edit-about = ✏️ Описание
dir-edit-address = ✏️ Адрес
dir-edit-hours = ✏️ Часы работы
dir-edit-phones = ✏️ Телефоны
dir-edit-website = ✏️ Сайт
dir-edit-email = ✏️ Эл. почта
dir-edit-regions = 📍 Регионы
dir-edit-topics = 🏷 Темы
dir-hide = 🙈 Скрыть от людей
dir-show = 👁 Показывать людям
dir-cancel = ✖️ Отмена
dir-field-name = Название
dir-field-about = Чем помогает
dir-field-address = Адрес
dir-field-hours = Часы работы
dir-ask-text = { $field } — язык: { $language }. Отправьте текст. Чтобы удалить адрес или часы работы, отправьте -.
dir-current = Сейчас: { $value }
dir-ask-phones = Отправьте номера телефонов через запятую, с кодом страны, например +996 312 123 456. Чтобы удалить их, отправьте -.
dir-ask-website = Отправьте адрес сайта, начиная с https://. Чтобы удалить его, отправьте -.
dir-ask-email = Отправьте адрес электронной почты. Чтобы удалить его, отправьте -.
dir-ask-source = Откуда эти сведения? Укажите открытый источник, в котором вы их проверили (сайт или документ). Люди увидят его вместе с сегодняшней датой.
dir-choose-regions = В каких регионах помогает? Отметьте нужные и нажмите «Готово».
dir-choose-topics = По каким темам помогает? Отметьте нужные и нажмите «Готово».
dir-done = ✅ Готово
dir-choose-one = Выберите хотя бы один вариант.
dir-send-text = Пожалуйста, отправьте ответ текстом.
dir-too-long = Слишком длинно: не больше 1000 знаков.
dir-bad-phone = «{ $phone }» — неверный номер. Укажите его с кодом страны, например +996 312 123 456, или трёхзначный номер службы, например 114.
dir-bad-website = Адрес сайта должен начинаться с https:// или http://.
dir-bad-email = Это не похоже на адрес электронной почты.
dir-bad-source = Пожалуйста, укажите источник: сайт или документ.
dir-invalid = Эту запись нельзя сохранить: { $problem }
dir-saved = Сохранено. Люди сразу видят изменения.

## Guided dialogs
button-yes = Да
button-no = Нет
form-step = Шаг { $number } из { $total }
form-back = ⬅️ Назад
form-cancel = ✖️ Отмена
form-done = ✅ Готово
form-today = Сегодня
form-yesterday = Вчера
form-current-answer = Ваш ответ сейчас: { $value }
form-need-choice = Пожалуйста, выберите одну из кнопок.
form-need-multi = Пожалуйста, выберите варианты кнопками, затем нажмите «Готово».
form-need-text = Пожалуйста, ответьте текстовым сообщением.
form-need-number = Пожалуйста, отправьте число, например 12.
form-need-date = Пожалуйста, нажмите «Сегодня» или «Вчера» или напишите дату в виде 21.11.2026.
form-need-location = Пожалуйста, отправьте геопозицию (📎 → Геопозиция) или пропустите этот вопрос.
form-need-media = Пожалуйста, отправьте фото, документ или голосовое сообщение либо нажмите «Готово».
form-need-media-or-skip = Пожалуйста, отправьте фото, документ или голосовое сообщение либо нажмите «Пропустить».
form-need-yesno = Пожалуйста, нажмите «Да» или «Нет».
form-need-one = Пожалуйста, дайте хотя бы один ответ.
form-choice-unknown = Такого варианта нет. Пожалуйста, нажмите одну из кнопок.
form-text-too-short = Слишком коротко: пожалуйста, напишите не меньше { $minimum } { $minimum ->
        [one] знака
       *[other] знаков
    }.
form-text-too-long = Слишком длинно: знаков — { $length }, а помещается не больше { $maximum }. Пожалуйста, сократите текст и отправьте его ещё раз.
form-number-range = Пожалуйста, отправьте число от { $minimum } до { $maximum }.
form-date-future = Эта дата ещё не наступила. Пожалуйста, отправьте дату, когда это случилось.
form-too-many = Можно отправить не больше { $limit } { $limit ->
        [one] файла
       *[other] файлов
    }.
form-file-too-big = Файл слишком большой: можно не больше { $megabytes } МБ. Пожалуйста, отправьте файл поменьше.
form-no-files-here = Здесь нельзя принять файлы. Пожалуйста, нажмите «Готово».
form-no-files-here-or-skip = Здесь нельзя принять файлы. Пожалуйста, нажмите «Пропустить».
form-file-failed = Не удалось получить этот файл. Пожалуйста, отправьте его ещё раз.
form-file-received = Получено ({ $count } из { $limit }). Отправьте ещё один файл или нажмите «Готово».
form-files = { $count ->
    [one] { $count } файл
    [few] { $count } файла
   *[many] { $count } файлов
}
form-summary =
    { $form }
    Пожалуйста, проверьте ответы. Чтобы изменить ответ, нажмите его номер.
form-not-given = —
form-send = 📨 Отправить
form-later = 💾 Закончить позже
form-use-buttons = Пожалуйста, воспользуйтесь кнопками ниже.
form-not-finished = Не хватает ещё нескольких ответов.
form-draft-found =
    { $form }
    У вас есть незаконченный черновик от { $date }. Хотите его продолжить?
form-continue = ▶️ Продолжить
form-start-over = 🗑 Начать заново
form-draft-kept = Черновик сохранён. Продолжить его можно из меню в любое время.
form-cancel-question = Удалить этот черновик? Ничего не будет отправлено.
form-cancel-confirm = Да, удалить
form-cancel-keep = Нет, продолжить
form-cancelled = Черновик удалён. Ничего не отправлено.
form-safe-now = ▶️ Мне безопасно, продолжить
form-sent =
    Спасибо. Ваше обращение отправлено координаторам вашего региона.
    Ваш код обращения: { $code }
    Проверить его статус можно командой /status { $code }. Координатор может написать вам в этом чате.
form-sent-anonymous =
    Спасибо. Ваше обращение отправлено координаторам вашего региона. В нём нет ни вашего имени, ни вашего аккаунта.
    Ваш код обращения: { $code }
    Запишите его в надёжном месте: только по этому коду можно узнать статус — командой /status { $code }. Другого способа нет.

## Reports
menu-status = 🔎 Статус обращения
monitoring-menu = Мониторинг. Здесь можно подать отчёт мониторинга (квота в местном кенеше, общественные слушания, кризисный центр, статья бюджета, мероприятие для молодёжи), посмотреть задачи вашей группы или вступить в группу мониторинга по её коду.
monitoring-file = 📋 Подать отчёт мониторинга
report-kind-incident = обращение о случае
report-kind-monitoring = отчёт мониторинга
status-new = Новое
status-in_review = На рассмотрении
status-needs_info = Нужны сведения
status-referred = Передано
status-closed = Закрыто
status-set-in_review = 🔍 На рассмотрении
status-set-needs_info = ❓ Спросить автора
status-set-referred = ↪️ Передано
status-set-closed = ✅ Закрыть
status-yours = Ваши обращения:
status-ask-code = Напишите код обращения (например, R-7K3F9Q), чтобы узнать статус.
status-unknown = Обращения с таким кодом нет. Пожалуйста, проверьте код и попробуйте ещё раз.
status-line = Обращение { $code }: { $status } (обновлено { $date }).
report-new-notice =
    Новое: { $kind } { $code }
    { $category } — { $region }
report-open = 📂 Открыть
report-take = ✋ Взять в работу
report-header =
    { $code } · { $kind }
    Статус: { $status } · подано { $created }
report-reporter = Автор обращения: { $reporter }
report-anonymous = анонимно
report-may-contact = можно связаться в чате
report-no-contact = не хочет, чтобы с ней связывались
report-history = История:
report-event-question = вопрос
report-event-answer = ответ
report-evidence = 📎 Доказательства ({ $count })
report-evidence-caption = Доказательство { $number } · SHA-256 { $sha }…
report-evidence-broken = Доказательство { $number } нельзя показать: файла нет или он был изменён.
report-cannot-contact = С автором обращения нельзя связаться: обращение анонимное или она не дала на это согласия.
report-question-prompt = Напишите вопрос автору обращения { $code }. Он придёт в её чат.
report-question-length = Пожалуйста, напишите вопрос не длиннее 1000 знаков.
report-question-sent = Вопрос отправлен.
report-question-notice =
    У координатора есть вопрос по вашему обращению { $code }:
    { $question }
report-answer-button = ✍️ Ответить по { $code }
report-answer-prompt = Напишите ответ по обращению { $code }. Его увидят только координаторы.
report-answer-length = Пожалуйста, напишите ответ не длиннее 3000 знаков.
report-answer-filed = Спасибо. Ваш ответ добавлен к обращению { $code }.
report-answer-notice = Автор обращения { $code } ответила.
report-status-notice = Статус вашего обращения { $code } теперь: { $status }.
reports-title = Обращения из ваших регионов. Выберите статус:
reports-list = { $status } · { $region } · { $category }: { $total } (страница { $page })
reports-none = Здесь обращений нет.
reports-all-categories = Все категории
reports-filter-region = 📍 Регион
reports-filter-category = 🏷 Категория
reports-choose-region = Какой регион?
reports-choose-category = Какая категория?
reports-previous = ⬅️ Более новые
reports-next = Более старые ➡️
reports-back-to-list = ⬅️ К списку
reports-export-csv = ⬇️ CSV
reports-export-xlsx = ⬇️ Excel
reports-chart = 📊 Диаграмма
reports-chart-title = Обращения за { $days ->
        [one] последний { $days } день
        [few] последние { $days } дня
       *[many] последние { $days } дней
    } по категориям и регионам
reports-chart-caption = Обращения за { $days ->
        [one] последний { $days } день
        [few] последние { $days } дня
       *[many] последние { $days } дней
    }.
reports-export-caption = { $count ->
    [one] { $count } обращение.
    [few] { $count } обращения.
   *[many] { $count } обращений.
}
reports-sheet-title = Обращения
export-reference = Код
export-kind = Вид
export-created = Подано
export-status = Статус
export-category = Категория
export-region = Регион
export-event-date = Дата события
export-evidence = Файлы-доказательства
export-contact = Аккаунт автора

## Campaign alerts
bc-menu = Оповещения о кампаниях. Составьте оповещение для людей из ваших регионов или посмотрите прошлые и запланированные оповещения.
bc-new = ✍️ Новое оповещение
bc-list = 📜 Прошлые и запланированные
bc-ask-text = Отправьте текст оповещения, один для всех (не больше { $limit } { $limit ->
        [one] знака
       *[other] знаков
    }). Или напишите его на каждом языке отдельно.
bc-each-language = 🌐 Текст на каждом языке
bc-ask-text-in = Язык: { $language }. Отправьте текст (не больше { $limit } { $limit ->
        [one] знака
       *[other] знаков
    }):
bc-text-length = Пожалуйста, отправьте текст длиной от 1 до { $limit } { $limit ->
        [one] знака
       *[other] знаков
    } (сейчас знаков — { $length }).
bc-draft = Оповещение: { $text }
bc-photo-state = Фото: { $state }
bc-link-state = Кнопка-ссылка: { $state }
bc-audience-state = Аудитория: { $audience }
bc-ack-state = Кнопка «Прочитано»: { $state }
bc-recipients = Получателей: { $count }
bc-yes = да
bc-no = нет
bc-everyone = все
bc-photo = 🖼 Фото
bc-link = 🔗 Кнопка-ссылка
bc-audience = 👥 Аудитория
bc-ack-toggle = ✅ «Прочитано»
bc-preview = 👁 Предпросмотр
bc-send-now = 📨 Отправить сейчас
bc-send-later = 🕒 Запланировать
bc-ask-photo = Отправьте фото для оповещения.
bc-photo-remove = Убрать фото
bc-need-photo = Пожалуйста, отправьте фото.
bc-ask-link = Отправьте ссылку и надпись на кнопке, например: https://example.org Подробнее
bc-bad-link = Пожалуйста, отправьте ссылку, начинающуюся с https://, а после неё надпись на кнопке, например: https://example.org Подробнее
bc-audience-help = Аудитория: { $audience }. Получателей: { $count }. Нажимайте на кнопки, чтобы сузить круг; если в строке ничего не отмечено, это значит «все».
bc-took-course = Прошли: { $course }
bc-preview-intro = Так выглядит оповещение (получателей: { $count }):
bc-ask-time = Когда отправить оповещение? Напишите дату и время по времени Бишкека, например 25.11.2026 18:00.
bc-bad-time = Пожалуйста, напишите дату и время в будущем, например 25.11.2026 18:00.
bc-sending = Отправляем. Получателей: { $count }. Следом придёт сообщение о ходе отправки.
bc-scheduled = Оповещение будет отправлено { $time } (по времени Бишкека). Получатели определятся в момент отправки; сейчас их { $count }.
bc-list-title = Оповещения о кампаниях:
bc-list-empty = Пока ни одного.
bc-list-line = #{ $id } { $status } { $time } «{ $text }»: отправлено: { $sent }, ошибок: { $failed }, заблокировали бота: { $blocked }, осталось: { $left }
bc-ack-rate = прочитали: { $acked } из { $sent } ({ $percent }%)
bc-whatsapp-line = WhatsApp: доставлено { $delivered }, открыто { $opened }; не отправлено, потому что человек не писал боту больше 24 часов: { $outside }
bc-cancel-one = ✖️ Отменить оповещение #{ $id }
bc-status-scheduled = 🕒 запланировано
bc-status-sending = 📨 отправляется
bc-status-done = ✅ завершено
bc-status-cancelled = ✖️ отменено
bc-progress = Идёт отправка оповещения #{ $id }. Отправлено: { $sent }, ошибок: { $failed }, заблокировали бота: { $blocked }, осталось: { $left }.
bc-final = Отправка оповещения #{ $id } завершена. Отправлено: { $sent }, ошибок: { $failed }, заблокировали бота: { $blocked }, не отправлено: { $skipped }. Прочитали на этот момент: { $acked }.
bc-read-button = ✅ Прочитано
bc-thanks-read = Спасибо, отмечено.

## Monitoring groups and tasks
monitoring-tasks = 🗓 Мои задачи
monitoring-join = ➕ Вступить в группу
coord-groups = 👥 Группы мониторинга
group-ask-code = Напишите код вашей группы мониторинга (его даёт координатор), например K7M2QX.
group-code-unknown = Группы с таким кодом нет. Пожалуйста, уточните код у вашего координатора.
group-joined = Теперь вы в группе мониторинга «{ $group }». Её задачи и напоминания будут приходить сюда.
group-ask-display-name = Если хотите, отправьте имя, под которым вас будут знать в группе (не больше { $limit } { $limit ->
        [one] знака
       *[other] знаков
    }): координатор увидит его, когда будет распределять задачи. Или нажмите «Пропустить» — тогда вас будут видеть под номером, например «Участник 2». Кнопка «Удалить мои данные» удаляет и это имя.
group-display-name-length = Пожалуйста, отправьте имя длиной от 1 до { $limit } { $limit ->
        [one] знака
       *[other] знаков
    } или нажмите «Пропустить».
group-display-name-saved = Спасибо. В группе вас будут знать как «{ $name }».
group-display-name-skipped = Хорошо: в группе вас будут видеть под номером.
tasks-yours = Ваши невыполненные задачи:
tasks-line = • { $title } — срок: { $due }
tasks-line-overdue = • ⚠️ { $title } — срок истёк: { $due }
tasks-done-button = ✅ Готово: { $title }
tasks-none = Невыполненных задач нет. Отличная работа!
task-marked-done = Задача отмечена как выполненная: { $title }. Спасибо.
task-snoozed = Я напомню ещё раз { $time }.
task-reminder =
    ⏰ Напоминание: { $title }
    Срок: { $due } (по времени Бишкека)
task-due-now =
    ⏰ Срок наступил: { $title }
    Срок: { $due } (по времени Бишкека). Если задача выполнена, пожалуйста, нажмите «Выполнено».
task-late = (Это напоминание пришло с опозданием: в нужное время бот не работал.)
task-done = ✅ Выполнено
task-snooze-hour = 💤 Через час
task-snooze-day = 💤 Завтра
task-file-report = 📋 Подать отчёт мониторинга
task-summary-title = Доброе утро. Просроченных задач в ваших группах: { $count }
task-summary-line = • { $title } ({ $group }), срок { $due }: не выполнили { $missing } из { $members }
task-open-tasks = 🗓 Задачи
groups-title = Группы мониторинга в ваших регионах:
groups-none = Групп пока нет.
group-new = ➕ Новая группа
group-ask-name = Название новой группы, например «Группа мониторинга женщин Кара-Суу»:
group-name-length = Пожалуйста, напишите название длиной от 2 до 100 знаков.
group-ask-region = В каком регионе работает группа?
group-page =
    👥 { $name } · { $region }
    Участников: { $members }
group-code = Код для вступления: { $code }
group-link = Ссылка для вступления: { $link }
group-settings = Тихие часы: { $start }–{ $end }. Напоминания: за { $offsets } до срока.
group-tasks = 🗓 Задачи
task-new = ➕ Новая задача
group-members = 👤 Участники
group-renew = 🔄 Новый код
group-quiet = 🌙 Тихие часы
group-offsets = ⏰ Время напоминаний
group-members-title = Участников в группе «{ $name }»: { $count }
group-member-line = { $member } · { $region }
group-member-number = Участник { $number }
group-member-gone = бывший участник
group-remove = Убрать из группы: { $member }
group-ask-quiet = Напишите тихие часы, например 22:00-08:00. Напоминания, которые выпадут на это время, придут, когда тихие часы закончатся.
group-bad-quiet = Пожалуйста, напишите начало и конец, например 22:00-08:00.
group-ask-offsets = За сколько до срока напоминать участникам? Напишите, например: 3д 2ч (за 3 дня и 2 часа).
group-bad-offsets = Пожалуйста, напишите время, например 3д 2ч или 1д 30м (д — дни, ч — часы, м — минуты).
task-ask-title = Задача в нескольких словах, например «Ежемесячное посещение кризисного центра»:
task-title-length = Пожалуйста, напишите название длиной от 2 до 200 знаков.
task-ask-description = Описание для участников (что сделать и где). Или пропустите этот шаг.
task-description-length = Пожалуйста, напишите не больше 2000 знаков.
task-ask-due = Какой срок? Напишите дату и время (по времени Бишкека), например 28.11.2026 10:00.
task-bad-due = Пожалуйста, напишите дату и время в будущем, например 28.11.2026 10:00.
task-ask-recurrence = Задача повторяется?
task-recurrence-none = Один раз
task-recurrence-weekly = Каждую неделю
task-recurrence-monthly = Каждый месяц
task-ask-assignee = Для кого?
task-whole-group = Вся группа
task-one-member = 👤 { $member }
task-created = Задача создана: { $title }, срок { $due }. Запланировано напоминаний: { $reminders }.
group-tasks-title = Задачи группы «{ $name }»:
tasks-coordinator-title = Задачи ваших групп:
tasks-no-members = участников пока нет
task-state-done = { $member } ✅
task-state-open = { $member } ⏳
task-state-overdue = { $member } ⚠️
group-completion = Выполнено: { $rate }% ({ $done } из { $expected })
offset-days = { $count ->
    [one] { $count } день
    [few] { $count } дня
   *[many] { $count } дней
}
offset-hours = { $count ->
    [one] { $count } час
    [few] { $count } часа
   *[many] { $count } часов
}
offset-minutes = { $count } мин

# Показывается уведомлением, которое не остаётся в чате (ответ Telegram на нажатую кнопку).
wipe-done = { $count ->
    [one] Из этого чата удалено { $count } сообщение.
    [few] Из этого чата удалено { $count } сообщения.
   *[many] Из этого чата удалено { $count } сообщений.
} Сообщения старше 48 часов Telegram удалить не даёт.
data-deleted-and-wiped = Ваши данные удалены, чат стёрт. Чтобы снова пользоваться ботом, отправьте /start.

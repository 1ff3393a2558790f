## Выгрузки веб-панели, журнал действий и открытые данные.

dashboard-export-about = О файле
dashboard-export-by = Кто выгрузил
dashboard-export-at = Когда выгружено
dashboard-export-count = Обращений
dashboard-export-filter = Фильтр
dashboard-export-no-filter = нет: все обращения, которые вам доступны
dashboard-export-contacts = Аккаунты авторов включены
dashboard-export-yes = да
dashboard-export-no = нет
dashboard-export-hxl-row = Вторая строка
dashboard-export-hxl = хештеги HXL (Humanitarian Exchange Language): по ним программы для работы с данными понимают столбцы на любом языке.
dashboard-export-staff = { $role ->
    [admin] Администратор
   *[other] Координатор
} #{ $id }

dashboard-counts-region = Регион
dashboard-counts-month = Месяц получения
dashboard-counts-kind = Вид
dashboard-counts-category = Категория
dashboard-counts-status = Статус
dashboard-counts-count = Обращений

dashboard-audit-title = Журнал действий
dashboard-audit-action = Действие
dashboard-audit-actor = Кто (номер)
dashboard-audit-at = Когда
dashboard-audit-target = С чем
dashboard-audit-details = Подробности
dashboard-audit-no-actor = никто не вошёл
dashboard-audit-total = { $total ->
    [one] { $total } запись
    [few] { $total } записи
   *[other] { $total } записей
}
dashboard-audit-empty = По этому фильтру записей нет.

dashboard-public-title = Открытые данные
dashboard-public-preview-title = Открытые данные: проверьте перед публикацией
dashboard-public-preview-explain = Так эти цифры увидят все по открытому адресу, без входа, когда вы их опубликуете. Проверьте, что ничто в них не указывает на человека.
dashboard-public-changed = С тех пор как вы открыли эту страницу, цифры изменились: закончился месяц. Проверьте их ещё раз перед публикацией.
dashboard-public-publish = Опубликовать эти цифры
dashboard-public-nothing-yet = Ещё не закончился ни один полный месяц с обращениями, публиковать пока нечего.
dashboard-public-new = Подготовить новые цифры к публикации
dashboard-public-none = Цифры ещё не опубликованы.
dashboard-public-what = Здесь посчитаны обращения, которые люди отправили через чат-бот «Тынчтык»: обращения о случаях и отчёты мониторинга. Это не число всех случаев, а только тех, о которых сообщили этому боту.
dashboard-public-when = Каждое обращение посчитано один раз, в том месяце, когда оно получено (по времени Бишкека), с { $first } по { $last }.
dashboard-public-published = Опубликовано { $date }.
dashboard-public-small = Чтобы защитить тех, кто обратился, числа от 1 до 4 не показываются. Если такое число можно вычислить из других чисел, вместе с ним скрыто ещё одно, а итог показан, только когда показаны все числа, из которых он складывается. Вместо каждого скрытого числа написано «{ dashboard-public-hidden }». 0 значит, что обращений не было.
dashboard-public-hidden = скрыто
dashboard-public-by-regions = Обращения по регионам и месяцам
dashboard-public-by-categories = Обращения по категориям и месяцам
dashboard-public-all-regions = Все регионы
dashboard-public-all-categories = Все категории
dashboard-public-all-months = Все месяцы
dashboard-public-region-none = Регион не указан
dashboard-public-category-none = Категория не указана
dashboard-public-column-regions = Регион
dashboard-public-column-kind = Вид
dashboard-public-column-categories = Категория
dashboard-public-csv = Скачать эти цифры (CSV)
dashboard-public-csv-table = Таблица
dashboard-public-csv-month = Месяц
dashboard-public-csv-region = Регион
dashboard-public-csv-kind = Вид
dashboard-public-csv-category = Категория
dashboard-public-csv-count = Обращений

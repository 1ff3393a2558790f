## Веб-панель координаторов: вход из чата, страница входа, список обращений и общее для всех страниц.

coord-dashboard = 🖥 Веб-панель
dashboard-link =
    Ваша ссылка для входа в веб-панель, только для вас. Она действует один раз, { $minutes } минут:
    { $link }
    Никому её не пересылайте. Если вы её не просили, не обращайте внимания на это сообщение.
dashboard-login-notice = Вы вошли в веб-панель в { $time }. Если это были не вы, сразу завершите все сеансы.
dashboard-not-me = 🚫 Это не я: завершить все сеансы
dashboard-sessions-ended = { $count ->
    [0] Открытых сеансов веб-панели не было. Неиспользованные ссылки для входа больше не действуют.
    [one] Сеанс веб-панели завершён.
    [few] Завершено { $count } сеанса веб-панели.
   *[other] Завершено { $count } сеансов веб-панели.
}

dashboard-title = Веб-панель
dashboard-login-title = Вход в веб-панель
dashboard-login-explain = Нажмите «Продолжить», чтобы войти. После этого ссылка перестанет действовать.
dashboard-continue = Продолжить
dashboard-link-spent = Срок этой ссылки истёк, или она уже использована. Попросите у бота новую: Меню координатора → Веб-панель.
dashboard-login-needed-title = Войдите, пожалуйста
dashboard-login-needed = Ваш сеанс завершён, или вы не вошли. Попросите у бота ссылку для входа: Меню координатора → Веб-панель.
dashboard-logged-out-title = Вы вышли
dashboard-logged-out = Вы вышли из веб-панели. Чтобы вернуться, попросите у бота новую ссылку для входа.
dashboard-log-out = Выйти
dashboard-admins-only = Эту страницу могут открыть только администраторы.
dashboard-form-expired = Срок действия формы истёк. Вернитесь назад, обновите страницу и попробуйте ещё раз.

dashboard-nav-inbox = Обращения
dashboard-nav-map = Карта
dashboard-nav-charts = Графики
dashboard-nav-audit = Журнал действий
dashboard-nav-public = Открытые данные

dashboard-filter-since = С
dashboard-filter-until = По
dashboard-filter-region = Регион
dashboard-filter-category = Категория
dashboard-filter-status = Статус
dashboard-filter-kind = Вид
dashboard-filter-any = Все
dashboard-filter-apply = Показать
dashboard-filter-clear = Сбросить фильтр

dashboard-inbox-title = Обращения из ваших регионов
dashboard-inbox-total = { $total ->
    [one] { $total } обращение
    [few] { $total } обращения
   *[other] { $total } обращений
}
dashboard-inbox-empty = По этому фильтру обращений нет.
dashboard-export-counts = Количество (CSV)
dashboard-page = Страница { $number } из { $pages }
dashboard-taken-by-you = вы
dashboard-column-reference = Код
dashboard-column-status = Статус
dashboard-column-category = Категория
dashboard-column-region = Регион
dashboard-column-kind = Вид
dashboard-column-date = Получено
dashboard-column-evidence = Файлы
dashboard-column-taken-by = Кто взял

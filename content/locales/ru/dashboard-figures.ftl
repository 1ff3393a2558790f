## Карта и графики веб-панели: число обращений по фильтру, женщины и мужчины в отчётах
## мониторинга, статистика уроков и оповещения о кампаниях.

figures-map-title = Обращения по регионам
figures-map-explain = Чем темнее регион, тем больше в нём обращений. Нажмите на регион, чтобы увидеть его обращения.
figures-map-label = Карта регионов
figures-legend = Оттенки:
figures-legend-none = нет
figures-region-other = Регион не указан
figures-total = Всего
figures-column-region = Регион
figures-column-reports = Число обращений

figures-charts-title = Графики обращений из ваших регионов
figures-per-month = Обращения по месяцам
figures-months-range = Месяцы: { $first } — { $last }.
figures-months-cut = Период длиннее, чем { $months } месяцев: на графике его последние { $months } месяцев.
figures-per-category = Обращения по категориям
figures-per-status = Обращения по статусам
figures-column-month = Месяц
figures-column-category = Категория
figures-column-status = Статус

figures-gender-title = Женщины и мужчины в отчётах мониторинга
figures-gender-explain = Сколько женщин и мужчин насчитали отчёты мониторинга (в кенеше — депутатов, на событии — участников), в сумме по темам и по регионам.
figures-gender-capped = По этому фильтру { $kept ->
    [one] { $kept } отчёт мониторинга
    [few] { $kept } отчёта мониторинга
   *[other] { $kept } отчётов мониторинга
}, здесь подсчитаны только последние { $opened }. Чтобы подсчитать все, выберите период короче.
figures-gender-unreadable = { $count ->
    [one] { $count } отчёт мониторинга не удалось открыть ключом данных, он не подсчитан.
    [few] { $count } отчёта мониторинга не удалось открыть ключом данных, они не подсчитаны.
   *[other] { $count } отчётов мониторинга не удалось открыть ключом данных, они не подсчитаны.
}
figures-gender-none = По этому фильтру отчётов мониторинга нет.
figures-column-subject = Что проверяли
figures-column-monitoring-reports = Число отчётов
figures-column-women = Женщины
figures-column-men = Мужчины
figures-column-women-share = Доля женщин, %

figures-lessons-title = Уроки
figures-lessons-explain = Все, кто начал курс, по региону, который они выбрали в боте; фильтр здесь не действует. Ничьи личные результаты не показываются: если баллы есть меньше чем у трёх человек, средний балл не показывается.
figures-column-started = Начали
figures-column-finished = Закончили
figures-column-average = Средний балл

figures-alerts-title = Оповещения о кампаниях
figures-alerts-yours = Оповещения о кампаниях, которые отправили вы, сначала последние; фильтр здесь не действует.
figures-alerts-all = Все оповещения о кампаниях, сначала последние; фильтр здесь не действует.
figures-alerts-whatsapp-only = «Доставлено» и «открыто» известны только для WhatsApp: Telegram не сообщает этого боту.
figures-alerts-none = Оповещений о кампаниях пока нет.
figures-column-alert = Оповещение
figures-column-alert-status = Статус
figures-column-time = Время
figures-column-sent = Отправлено
figures-column-delivered = Доставлено
figures-column-opened = Открыто
figures-column-acked = Нажали «Прочитано»
figures-column-failed = Ошибок
figures-column-blocked = Заблокировали бота
figures-column-left = Осталось отправить

figures-month = { $month } { $year }
figures-month-1 = Январь
figures-month-2 = Февраль
figures-month-3 = Март
figures-month-4 = Апрель
figures-month-5 = Май
figures-month-6 = Июнь
figures-month-7 = Июль
figures-month-8 = Август
figures-month-9 = Сентябрь
figures-month-10 = Октябрь
figures-month-11 = Ноябрь
figures-month-12 = Декабрь

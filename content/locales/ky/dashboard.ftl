## Координаторлордун веб-панели: чаттан кирүү, кирүү барагы, кайрылуулардын тизмеси жана бардык барактарга жалпы тексттер.

coord-dashboard = 🖥 Веб-панель
dashboard-link =
    Веб-панелге кирүү үчүн шилтемеңиз, бир гана сиз үчүн. Ал бир жолу, { $minutes } мүнөт иштейт:
    { $link }
    Аны эч кимге жөнөтпөңүз. Эгер аны сиз сураган эмес болсоңуз, бул билдирүүгө көңүл бурбаңыз.
dashboard-login-notice = Сиз саат { $time } веб-панелге кирдиңиз. Эгер бул сиз болбосоңуз, бардык сеанстарды азыр токтотуңуз.
dashboard-not-me = 🚫 Бул мен эмесмин: бардык сеанстарды токтотуу
dashboard-sessions-ended = { $count ->
    [0] Веб-панелде ачык сеанс жок болчу. Колдонула элек кирүү шилтемелери мындан ары иштебейт.
   *[other] Веб-панелдин { $count } сеансы токтотулду.
}

dashboard-title = Веб-панель
dashboard-login-title = Веб-панелге кирүү
dashboard-login-explain = Кирүү үчүн «Улантуу» баскычын басыңыз. Андан кийин шилтеме иштебей калат.
dashboard-continue = Улантуу
dashboard-link-spent = Бул шилтеменин мөөнөтү бүттү же ал колдонулуп калган. Боттон жаңысын сураңыз: Координатордун менюсу → Веб-панель.
dashboard-login-needed-title = Сураныч, кириңиз
dashboard-login-needed = Сеансыңыз бүттү же сиз кире элексиз. Боттон кирүү шилтемесин сураңыз: Координатордун менюсу → Веб-панель.
dashboard-logged-out-title = Сиз чыктыңыз
dashboard-logged-out = Сиз веб-панелден чыктыңыз. Кайра кирүү үчүн боттон жаңы шилтеме сураңыз.
dashboard-log-out = Чыгуу
dashboard-admins-only = Бул баракты администраторлор гана ача алат.
dashboard-form-expired = Бул форманын мөөнөтү бүттү. Артка кайтып, баракты жаңылап, кайра аракет кылыңыз.

dashboard-nav-inbox = Кайрылуулар
dashboard-nav-map = Карта
dashboard-nav-charts = Диаграммалар
dashboard-nav-audit = Аракеттер журналы
dashboard-nav-public = Ачык маалыматтар

dashboard-filter-since = Баштап
dashboard-filter-until = Чейин
dashboard-filter-region = Аймак
dashboard-filter-category = Категория
dashboard-filter-status = Абалы
dashboard-filter-kind = Түрү
dashboard-filter-any = Баары
dashboard-filter-apply = Көрсөтүү
dashboard-filter-clear = Чыпканы тазалоо

dashboard-inbox-title = Аймактарыңыздан келген кайрылуулар
dashboard-inbox-total = { $total } кайрылуу
dashboard-inbox-empty = Бул чыпка боюнча кайрылуу жок.
dashboard-export-counts = Саны (CSV)
dashboard-page = { $pages } барактын { $number }-барагы
dashboard-taken-by-you = сиз
dashboard-column-reference = Коду
dashboard-column-status = Абалы
dashboard-column-category = Категория
dashboard-column-region = Аймак
dashboard-column-kind = Түрү
dashboard-column-date = Келген күнү
dashboard-column-evidence = Файлдар
dashboard-column-taken-by = Ким алды

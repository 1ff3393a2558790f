## Веб-панелдин картасы жана диаграммалары: чыпка боюнча кайрылуулардын саны, мониторинг
## отчетторундагы аялдар жана эркектер, сабактардын статистикасы жана кампания жарыялары.

figures-map-title = Аймактар боюнча кайрылуулар
figures-map-explain = Аймактын түсү канчалык кочкул болсо, андагы кайрылуулар ошончолук көп. Аймактын кайрылууларын көрүү үчүн аны басыңыз.
figures-map-label = Аймактардын картасы
figures-legend = Түстөр:
figures-legend-none = жок
figures-region-other = Аймагы көрсөтүлгөн эмес
figures-total = Жалпы
figures-column-region = Аймак
figures-column-reports = Кайрылуулардын саны

figures-charts-title = Аймактарыңыздан келген кайрылуулардын диаграммалары
figures-per-month = Айлар боюнча кайрылуулар
figures-months-range = Айлар: { $first } — { $last }.
figures-months-cut = Бул мезгил { $months } айдан узун: диаграммада анын акыркы { $months } айы гана көрсөтүлөт.
figures-per-category = Категориялар боюнча кайрылуулар
figures-per-status = Абалы боюнча кайрылуулар
figures-column-month = Ай
figures-column-category = Категория
figures-column-status = Абалы

figures-gender-title = Мониторинг отчетторундагы аялдар жана эркектер
figures-gender-explain = Мониторинг отчетторунда канча аял жана канча эркек эсептелгени (кеңеште — депутаттар, иш-чарада — катышкандар), темалар жана аймактар боюнча кошулуп.
figures-gender-capped = Бул чыпка боюнча { $kept } мониторинг отчету бар, бул жерде алардын эң акыркы { $opened } гана эсептелди. Баарын эсептөө үчүн кыскараак мезгилди тандаңыз.
figures-gender-unreadable = { $count } мониторинг отчетун маалымат ачкычы менен ачуу мүмкүн болгон жок, алар эсепке кирген жок.
figures-gender-none = Бул чыпка боюнча мониторинг отчету жок.
figures-column-subject = Мониторингдин темасы
figures-column-monitoring-reports = Отчеттордун саны
figures-column-women = Аялдар
figures-column-men = Эркектер
figures-column-women-share = Аялдардын үлүшү, %

figures-lessons-title = Сабактар
figures-lessons-explain = Курсту баштагандардын баары, ботто тандаган аймагы боюнча; чыпка бул жерде колдонулбайт. Эч кимдин жеке жыйынтыктары көрсөтүлбөйт: баллы бар адамдар 3төн аз болсо, орточо балл көрсөтүлбөйт.
figures-column-started = Баштагандар
figures-column-finished = Бүтүргөндөр
figures-column-average = Орточо балл

figures-alerts-title = Кампания жарыялары
figures-alerts-yours = Сиз жөнөткөн кампания жарыялары, акыркылары биринчи; чыпка бул жерде колдонулбайт.
figures-alerts-all = Бардык кампания жарыялары, акыркылары биринчи; чыпка бул жерде колдонулбайт.
figures-alerts-whatsapp-only = «Жеткирилди» жана «ачылды» WhatsApp үчүн гана белгилүү: Telegram ботко бул тууралуу маалымат бербейт.
figures-alerts-none = Азырынча кампания жарыясы жок.
figures-column-alert = Жарыя
figures-column-alert-status = Абалы
figures-column-time = Убактысы
figures-column-sent = Жөнөтүлдү
figures-column-delivered = Жеткирилди
figures-column-opened = Ачылды
figures-column-acked = «Окудум» баскычын басышты
figures-column-failed = Ката
figures-column-blocked = Ботту бөгөттөгөндөр
figures-column-left = Жөнөтүлө элек

figures-month = { $year }-ж., { $month }
figures-month-1 = январь
figures-month-2 = февраль
figures-month-3 = март
figures-month-4 = апрель
figures-month-5 = май
figures-month-6 = июнь
figures-month-7 = июль
figures-month-8 = август
figures-month-9 = сентябрь
figures-month-10 = октябрь
figures-month-11 = ноябрь
figures-month-12 = декабрь

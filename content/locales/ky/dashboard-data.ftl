## Веб-панелден жүктөп алуу, аракеттер журналы жана ачык маалыматтар.

dashboard-export-about = Файл жөнүндө
dashboard-export-by = Ким жүктөп алды
dashboard-export-at = Качан жүктөлүп алынды
dashboard-export-count = Кайрылуулар
dashboard-export-filter = Чыпка
dashboard-export-no-filter = жок: сиз көрө ала турган бардык кайрылуулар
dashboard-export-contacts = Жөнөтүүчүлөрдүн аккаунттары кошулган
dashboard-export-yes = ооба
dashboard-export-no = жок
dashboard-export-hxl-row = Экинчи сап
dashboard-export-hxl = HXL хештегдери (Humanitarian Exchange Language): алар аркылуу маалымат менен иштеген программалар мамычаларды каалаган тилде түшүнөт.
dashboard-export-staff = { $role ->
    [admin] Администратор
   *[other] Координатор
} #{ $id }

dashboard-counts-region = Аймак
dashboard-counts-month = Келген айы
dashboard-counts-kind = Түрү
dashboard-counts-category = Категория
dashboard-counts-status = Абалы
dashboard-counts-count = Кайрылуулар

dashboard-audit-title = Аракеттер журналы
dashboard-audit-action = Аракет
dashboard-audit-actor = Ким (номери)
dashboard-audit-at = Качан
dashboard-audit-target = Эмне менен
dashboard-audit-details = Кененирээк
dashboard-audit-no-actor = эч ким кирген эмес
dashboard-audit-total = { $total } жазуу
dashboard-audit-empty = Бул чыпка боюнча жазуу жок.

dashboard-public-title = Ачык маалыматтар
dashboard-public-preview-title = Ачык маалыматтар: жарыялоодон мурун текшериңиз
dashboard-public-preview-explain = Сиз жарыялагандан кийин бул сандарды ар ким ачык дарек боюнча, кирбей эле ушундай көрөт. Алардын эч бири кайсы бир адамды көрсөтүп койбогонун текшериңиз.
dashboard-public-changed = Сиз бул баракты ачкандан бери сандар өзгөрдү: бир ай бүттү. Жарыялоодон мурун аларды кайра текшериңиз.
dashboard-public-publish = Бул сандарды жарыялоо
dashboard-public-nothing-yet = Кайрылуулар менен толук бир ай али бүтө элек, ошондуктан азырынча жарыялай турган эч нерсе жок.
dashboard-public-new = Жарыялоо үчүн жаңы сандарды даярдоо
dashboard-public-none = Сандар али жарыялана элек.
dashboard-public-what = Бул жерде адамдар «Тынчтык» боту аркылуу жөнөткөн кайрылуулар саналды: окуя тууралуу кайрылуулар жана мониторинг отчеттору. Бул бардык окуялардын саны эмес, ушул ботко билдирилгендердин гана саны.
dashboard-public-when = Ар бир кайрылуу бир жолу, ал келген айда (Бишкек убактысы менен) саналды. Мезгили: { $first } – { $last }.
dashboard-public-published = Жарыяланган күнү: { $date }.
dashboard-public-small = Кайрылган адамдарды коргоо үчүн 1ден 4кө чейинки сандар көрсөтүлбөйт. Эгер мындай санды башка сандардан эсептеп чыгарууга мүмкүн болсо, аны менен кошо дагы бир сан жашырылат, ал эми жыйынтык аны түзгөн бардык сандар көрсөтүлгөндө гана көрсөтүлөт. Ар бир жашырылган сандын ордуна «{ dashboard-public-hidden }» деп жазылган. 0 кайрылуу келген эмес дегенди билдирет.
dashboard-public-hidden = жашырылган
dashboard-public-by-regions = Аймактар жана айлар боюнча кайрылуулар
dashboard-public-by-categories = Категориялар жана айлар боюнча кайрылуулар
dashboard-public-all-regions = Бардык аймактар
dashboard-public-all-categories = Бардык категориялар
dashboard-public-all-months = Бардык айлар
dashboard-public-region-none = Аймак көрсөтүлгөн эмес
dashboard-public-category-none = Категория көрсөтүлгөн эмес
dashboard-public-column-regions = Аймак
dashboard-public-column-kind = Түрү
dashboard-public-column-categories = Категория
dashboard-public-csv = Бул сандарды жүктөп алуу (CSV)
dashboard-public-csv-table = Таблица
dashboard-public-csv-month = Ай
dashboard-public-csv-region = Аймак
dashboard-public-csv-kind = Түрү
dashboard-public-csv-category = Категория
dashboard-public-csv-count = Кайрылуулар

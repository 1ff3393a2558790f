## The dashboard's map and charts: counts of the reports the filter keeps, the women and men of
## monitoring reports, lesson figures and campaign alerts.

figures-map-title = Reports by region
figures-map-explain = The darker a region, the more reports it has. Press a region to see its reports.
figures-map-label = Map of the regions
figures-legend = Shades:
figures-legend-none = none
figures-region-other = Region not given
figures-total = Total
figures-column-region = Region
figures-column-reports = Reports

figures-charts-title = Charts of the reports from your regions
figures-per-month = Reports per month
figures-months-range = Months: { $first } to { $last }.
figures-months-cut = This period is longer than { $months } months: the chart shows its last { $months } months.
figures-per-category = Reports per category
figures-per-status = Reports per status
figures-column-month = Month
figures-column-category = Category
figures-column-status = Status

figures-gender-title = Women and men in monitoring reports
figures-gender-explain = How many women and men the monitoring reports counted (in a kenesh, its deputies; at an event, the people who took part), added up per subject and per region.
figures-gender-capped = This filter keeps { $kept } monitoring reports: only the newest { $opened } are counted here. Choose a shorter period to count them all.
figures-gender-unreadable = { $count ->
    [one] One monitoring report could not be opened with the data key and is not counted.
   *[other] { $count } monitoring reports could not be opened with the data key and are not counted.
}
figures-gender-none = No monitoring report matches this filter.
figures-column-subject = What was monitored
figures-column-monitoring-reports = Monitoring reports
figures-column-women = Women
figures-column-men = Men
figures-column-women-share = Women, %

figures-lessons-title = Lessons
figures-lessons-explain = Everyone who started a course, by the region she chose in the bot; the filter does not apply here. No person's own results are shown: where fewer than 3 people have a score, the average is not shown.
figures-column-started = Started
figures-column-finished = Finished
figures-column-average = Average score

figures-alerts-title = Campaign alerts
figures-alerts-yours = The campaign alerts you sent, the latest first; the filter does not apply here.
figures-alerts-all = All campaign alerts, the latest first; the filter does not apply here.
figures-alerts-whatsapp-only = Delivered and opened are known for WhatsApp only: Telegram does not tell the bot.
figures-alerts-none = No campaign alert yet.
figures-column-alert = Alert
figures-column-alert-status = Status
figures-column-time = Time
figures-column-sent = Sent
figures-column-delivered = Delivered
figures-column-opened = Opened
figures-column-acked = Pressed "I have read this"
figures-column-failed = Failed
figures-column-blocked = Blocked the bot
figures-column-left = Not sent yet

figures-month = { $month } { $year }
figures-month-1 = January
figures-month-2 = February
figures-month-3 = March
figures-month-4 = April
figures-month-5 = May
figures-month-6 = June
figures-month-7 = July
figures-month-8 = August
figures-month-9 = September
figures-month-10 = October
figures-month-11 = November
figures-month-12 = December

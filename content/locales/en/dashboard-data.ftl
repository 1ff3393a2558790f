## The dashboard's exports, its audit log and the public figures.

dashboard-export-about = About
dashboard-export-by = Exported by
dashboard-export-at = Exported at
dashboard-export-count = Reports
dashboard-export-filter = Filter
dashboard-export-no-filter = none: every report you may see
dashboard-export-contacts = Reporters' accounts included
dashboard-export-yes = yes
dashboard-export-no = no
dashboard-export-hxl-row = Second row
dashboard-export-hxl = HXL hashtags (Humanitarian Exchange Language): with them, data tools understand the columns in any language.
dashboard-export-staff = { $role ->
    [admin] Admin
   *[other] Coordinator
} #{ $id }

dashboard-counts-region = Region
dashboard-counts-month = Month received
dashboard-counts-kind = Kind
dashboard-counts-category = Category
dashboard-counts-status = Status
dashboard-counts-count = Reports

dashboard-audit-title = Audit log
dashboard-audit-action = Action
dashboard-audit-actor = Who (number)
dashboard-audit-at = When
dashboard-audit-target = On what
dashboard-audit-details = Details
dashboard-audit-no-actor = nobody logged in
dashboard-audit-total = { $total ->
    [one] One entry
   *[other] { $total } entries
}
dashboard-audit-empty = No entry matches this filter.

dashboard-public-title = Public figures
dashboard-public-preview-title = Public figures: check them before you publish
dashboard-public-preview-explain = This is what everyone will see at the public address once you publish it, without logging in. Check that nothing in it could point to a person.
dashboard-public-changed = The figures have changed since you opened this page: a month has ended. Check them again before you publish.
dashboard-public-publish = Publish these figures
dashboard-public-nothing-yet = No whole month of reports has ended yet, so there is nothing to publish.
dashboard-public-new = Prepare new figures to publish
dashboard-public-none = No figures have been published yet.
dashboard-public-what = These figures count the reports that people sent through the Tynchtyk chatbot: incident reports and monitoring reports. They are not a count of all cases, only of those reported to this bot.
dashboard-public-when = Each report is counted once, in the month it was received (Bishkek time), from { $first } to { $last }.
dashboard-public-published = Published on { $date }.
dashboard-public-small = To protect the people who reported, no number from 1 to 4 is shown. Where such a number could be worked out from the other numbers, one more number is hidden with it, and a total is shown only when every number in it is shown. Each hidden number reads “{ dashboard-public-hidden }”. A 0 means that no report was received.
dashboard-public-hidden = hidden
dashboard-public-by-regions = Reports by region and month
dashboard-public-by-categories = Reports by category and month
dashboard-public-all-regions = All regions
dashboard-public-all-categories = All categories
dashboard-public-all-months = All months
dashboard-public-region-none = Region not given
dashboard-public-category-none = Category not given
dashboard-public-column-regions = Region
dashboard-public-column-kind = Kind
dashboard-public-column-categories = Category
dashboard-public-csv = Download these figures (CSV)
dashboard-public-csv-table = Table
dashboard-public-csv-month = Month
dashboard-public-csv-region = Region
dashboard-public-csv-kind = Kind
dashboard-public-csv-category = Category
dashboard-public-csv-count = Reports

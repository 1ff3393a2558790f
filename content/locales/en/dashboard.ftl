## The coordinators' web dashboard: the way in from the chat, login, the inbox and what every page shares.

coord-dashboard = 🖥 Dashboard
dashboard-link =
    Your dashboard login link, for you alone. It works once, for { $minutes } minutes:
    { $link }
    Do not forward it. If you did not ask for it, ignore this message.
dashboard-login-notice = You logged in to the dashboard at { $time }. If this was not you, end all sessions now.
dashboard-not-me = 🚫 Not me: end all sessions
dashboard-sessions-ended = { $count ->
    [0] No dashboard session was open. Unused login links no longer work.
    [one] One dashboard session ended.
   *[other] { $count } dashboard sessions ended.
}

dashboard-title = Dashboard
dashboard-login-title = Log in to the dashboard
dashboard-login-explain = Press Continue to log in. The link then stops working.
dashboard-continue = Continue
dashboard-link-spent = This login link has expired or was already used. Ask the bot for a new one: Coordinator menu → Dashboard.
dashboard-login-needed-title = Please log in
dashboard-login-needed = Your session has ended or you are not logged in. Ask the bot for a login link: Coordinator menu → Dashboard.
dashboard-logged-out-title = Logged out
dashboard-logged-out = You are logged out. To come back, ask the bot for a new login link.
dashboard-log-out = Log out
dashboard-admins-only = Only admins can open this page.
dashboard-form-expired = This form has expired. Go back, reload the page and try again.

dashboard-nav-inbox = Reports
dashboard-nav-map = Map
dashboard-nav-charts = Charts
dashboard-nav-audit = Audit log
dashboard-nav-public = Public figures

dashboard-filter-since = From
dashboard-filter-until = To
dashboard-filter-region = Region
dashboard-filter-category = Category
dashboard-filter-status = Status
dashboard-filter-kind = Kind
dashboard-filter-any = All
dashboard-filter-apply = Show
dashboard-filter-clear = Clear the filter

dashboard-inbox-title = Reports from your regions
dashboard-inbox-total = { $total ->
    [one] One report
   *[other] { $total } reports
}
dashboard-inbox-empty = No report matches this filter.
dashboard-export-counts = Counts (CSV)
dashboard-page = Page { $number } of { $pages }
dashboard-taken-by-you = you
dashboard-column-reference = Code
dashboard-column-status = Status
dashboard-column-category = Category
dashboard-column-region = Region
dashboard-column-kind = Kind
dashboard-column-date = Received
dashboard-column-evidence = Files
dashboard-column-taken-by = Taken by

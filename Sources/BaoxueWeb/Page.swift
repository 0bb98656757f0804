import BaoxueApp

/// One screen of the field app as HTML: the phone-sized layout every page shares (a title bar,
/// the content, the bottom tab bar), with only our own stylesheet and no script.
///
/// Invariant: every text put into a page is escaped (`HTML.escape`) by the page that builds it;
/// `Page` adds only fixed markup around it.
struct Page {
    enum Tab: String, CaseIterable {
        case today = "/"
        case children = "/children"
        case me = "/me"

        func label(_ l: Language) -> String {
            switch self {
            case .today: l.pick("今日", "Today")
            case .children: l.pick("儿童", "Children")
            case .me: l.pick("我的", "Me")
            }
        }
    }

    let title: String
    let tab: Tab?
    let body: String
    let language: Language

    var html: String {
        let nav =
            tab == nil
            ? ""
            : Tab.allCases.map { t in
                "<a href=\"\(t.rawValue)\"\(t == tab ? " aria-current=\"page\"" : "")>\(HTML.escape(t.label(language)))</a>"
            }.joined()
        return """
            <!doctype html>
            <html lang="\(language.pick("zh-Hans", "en"))">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · \(HTML.escape(language.pick("保学", "Baoxue")))</title>
            <link rel="stylesheet" href="/static/app.css"></head>
            <body><header><h1>\(HTML.escape(title))</h1></header>
            <main>\(body)</main>
            \(nav.isEmpty ? "" : "<nav aria-label=\"\(HTML.escape(language.pick("主菜单", "main menu")))\">\(nav)</nav>")
            </body></html>
            """
    }
}

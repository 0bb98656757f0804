import BaoxueApp
import BaoxueTrust

/// One screen of the field app as HTML: the phone-sized layout every page shares (a title bar,
/// the content, the bottom tab bar), with only our own stylesheet and no script.
///
/// Invariant: every text put into a page is escaped (`HTML.escape`) by the page that builds it;
/// `Page` adds only fixed markup around it.
struct Page {
    enum Tab: String, CaseIterable, Sendable {
        case today = "/"
        case survey = "/survey"
        case children = "/children"
        case ledgers = "/ledgers"
        case sync = "/sync"
        case me = "/me"

        func label(_ l: Language) -> String {
            switch self {
            case .today: l.say(ScreenMessages.today)
            case .survey: l.say(ScreenMessages.survey)
            case .children: l.say(ScreenMessages.children)
            case .ledgers: l.say(ScreenMessages.ledgers)
            case .sync: l.say(ScreenMessages.sync)
            case .me: l.say(ScreenMessages.me)
            }
        }

        /// The tabs a role works with (the role table decides what each may record): a teacher's day,
        /// a liaison's sweep, an admin's ledgers and reports. Five at most, so each fits a phone's width.
        static func of(_ role: Role?) -> [Tab] {
            switch role {
            case .teacher: [.today, .children, .sync, .me]
            case .liaison: [.survey, .children, .sync, .me]
            case .schoolAdmin, .districtAdmin: [.today, .children, .ledgers, .sync, .me]
            case .relay, nil: [.today, .children, .sync, .me]
            }
        }
    }

    let title: String
    let tab: Tab?
    let body: String
    let language: Language
    var tabs: [Tab] = [.today, .children, .sync, .me]
    /// A script of our own (`/static/<name>.js`) that improves the page; the page works without it.
    var script: String?
    /// Reload every so many seconds when script is off (a sync in progress).
    var refreshSeconds: Int?

    var html: String {
        let nav =
            tab == nil
            ? ""
            : tabs.map { t in
                "<a href=\"\(t.rawValue)\"\(t == tab ? " aria-current=\"page\"" : "")>\(HTML.escape(t.label(language)))</a>"
            }.joined()
        return """
            <!doctype html>
            <html lang="\(language.say(ScreenMessages.htmlLanguage))">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · \(HTML.escape(language.say(ScreenMessages.appName)))</title>
            <link rel="stylesheet" href="/static/app.css">\(script.map { "<script src=\"/static/\($0).js\" defer></script>" } ?? "")
            \(refreshSeconds.map { "<noscript><meta http-equiv=\"refresh\" content=\"\($0)\"></noscript>" } ?? "")</head>
            <body><header><h1>\(HTML.escape(title))</h1></header>
            <main>\(body)</main>
            \(nav.isEmpty ? "" : "<nav aria-label=\"\(HTML.escape(language.say(ScreenMessages.mainMenu)))\">\(nav)</nav>")
            </body></html>
            """
    }
}

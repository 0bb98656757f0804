import BaoxueApp
import BaoxueRecords
import BaoxueRelay
import BaoxueStore
import Foundation

/// The relay operator's page (`relay serve --console`): whether the relay is well and what to do
/// when it is not, its sessions, refusals by reason, disk, upstream, the alerts, and every device
/// it serves with how far behind it is. Counts and devices only: a relay holds no child data it
/// can read, and this page shows none.
struct OperatorPage {
    let snapshot: RelaySnapshot
    let status: RelayStatusView
    /// The schools' published monthly figures this relay holds (trust.md §10), as `publishedFigures()` lists them.
    var figures: [PublishedFiguresEntry] = []
    let language: Language
    static let refreshSeconds = 15

    var html: String {
        let body =
            health + section(l.say(ConsoleMessages.sessionsHeading), sessions) + section(l.say(ConsoleMessages.refusalsHeading), refusals)
            + section(l.say(ConsoleMessages.diskHeading), disk) + section(l.say(ConsoleMessages.upstreamHeading), upstream)
            + section(l.say(ConsoleMessages.alertsHeading), alerts) + section(l.say(ConsoleMessages.figuresHeading), published)
            + section(l.say(ConsoleMessages.devicesHeading), devices)
            + "<p class=\"why\">\(t(l.say(ConsoleMessages.noChildData)))</p>" + refreshSwitch
        var page = Page(title: l.say(ConsoleMessages.operatorTitle), tab: nil, body: body, language: l)
        page.script = "console"
        return page.html
    }

    private var l: Language { language }

    /// Text made safe for the page.
    private func t(_ text: String) -> String { HTML.escape(text) }

    private func section(_ heading: String, _ content: String) -> String { "<h2>\(t(heading))</h2>\(content)" }

    /// The page reloads itself every `refreshSeconds` while this box is ticked (`console.js`); an
    /// operator reading it unticks it (WCAG 2.2.1: a timed refresh the user can stop, not a meta refresh).
    /// Hidden without script, where the page is reloaded by hand.
    private var refreshSwitch: String {
        "<div class=\"choices stacked\" id=\"auto-refresh\" data-seconds=\"\(Self.refreshSeconds)\" hidden><label><input type=\"checkbox\" "
            + "checked><span>\(t(l.say(ConsoleMessages.refreshesEvery, Self.refreshSeconds)))</span></label></div>"
    }

    /// The script behind the switch: a reload every so many seconds unless unticked (remembered for the tab).
    static let script = """
        (function () {
          var box = document.getElementById('auto-refresh');
          if (!box) return;
          var tick = box.querySelector('input'), seconds = Number(box.dataset.seconds) || 15;
          box.hidden = false;
          tick.checked = sessionStorage.getItem('baoxue-console-paused') !== '1';
          tick.addEventListener('change', function () { sessionStorage.setItem('baoxue-console-paused', tick.checked ? '0' : '1'); });
          setInterval(function () { if (tick.checked) location.reload(); }, seconds * 1000);
        })();
        """

    private var health: String {
        guard !snapshot.problems.isEmpty else { return "<p class=\"notice\" role=\"status\">\(t(l.say(ConsoleMessages.statusOk)))</p>" }
        let items = snapshot.problems.map { problem -> String in
            switch problem {
            case "disk_full": t(l.say(ConsoleMessages.problemDiskFull))
            case "upstream_unreachable": t(l.say(ConsoleMessages.problemUpstreamUnreachable))
            default: t(l.say(ConsoleMessages.problemStoreFailed))
            }
        }
        return "<div class=\"error\" role=\"alert\"><p>\(t(l.say(ConsoleMessages.statusDegraded)))</p><ul>"
            + items.map { "<li>\($0)</li>" }.joined() + "</ul></div>"
    }

    private var sessions: String {
        let s = snapshot
        let pairs: [(String, Int)] = [
            (l.say(ConsoleMessages.activeSessions), s.activeSessions),
            (l.say(ConsoleMessages.queuedSessions), s.queuedSessions + s.waitingSessions),
            (l.say(ConsoleMessages.sessionsServed), s.sessions), (l.say(ConsoleMessages.sessionsFailed), s.failedSessions),
        ]
        let moved = [
            l.say(ConsoleMessages.changesMoved, s.changesIn, s.changesOut),
            l.say(ConsoleMessages.bytesMoved, s.bytesIn / 1024, s.bytesOut / 1024),
        ]
        return "<dl>" + pairs.map { "<dt>\(t($0.0))</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"
            + "<p>" + moved.map(t).joined(separator: "<br>") + "</p>"
    }

    private var refusals: String {
        var rows = snapshot.refusals.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { (reason($0.key), $0.value) }
        if snapshot.refusedAtAccept > 0 { rows.append((t(l.say(ConsoleMessages.refusedAtAccept)), snapshot.refusedAtAccept)) }
        guard !rows.isEmpty else { return "<p class=\"empty\">\(t(l.say(ConsoleMessages.noRefusals)))</p>" }
        return "<table><tbody>"
            + rows.map { "<tr><th scope=\"row\">\($0.0)</th><td>\(t(l.say(ConsoleMessages.refusalCount, $0.1)))</td></tr>" }.joined()
            + "</tbody></table>"
    }

    /// A refusal's cause in the operator's words; the English page adds the code name the logs use.
    private func reason(_ code: String) -> String {
        let words: String
        switch code {
        case "peer_not_allowed": words = l.say(ConsoleMessages.reasonPeerNotAllowed)
        case "over_limit", "window_exceeded", "too_many_rounds", "frame_too_large": words = l.say(ConsoleMessages.reasonOverLimit)
        case "connection_closed", "peer_aborted": words = l.say(ConsoleMessages.reasonConnectionClosed)
        case "idle_timeout", "handshake_timeout": words = l.say(ConsoleMessages.reasonTimeout)
        case "handshake_failed", "decrypt_failed", "key_mismatch", "unsupported_version": words = l.say(ConsoleMessages.reasonHandshake)
        case "invalid_change", "unsolicited_change": words = l.say(ConsoleMessages.reasonInvalidChange)
        case "store_failed", "disk_full": words = l.say(ConsoleMessages.reasonStore)
        default: words = l.say(ConsoleMessages.reasonOther)
        }
        return t(words) + (l == .en ? " <code>\(t(code))</code>" : "")
    }

    private var disk: String {
        let used = snapshot.diskBytes / 1_048_576
        guard let quota = snapshot.quotaBytes, quota > 0 else { return "<p>\(t(l.say(ConsoleMessages.diskUsed, used)))</p>" }
        let share = Int(snapshot.diskBytes * 100 / quota)
        return "<p>\(t(l.say(ConsoleMessages.diskUsedOfQuota, used, quota / 1_048_576, share)))</p>"
            + "<progress max=\"100\" value=\"\(min(100, share))\" aria-label=\"\(t(l.say(ConsoleMessages.diskHeading)))\"></progress>"
    }

    private var upstream: String {
        guard snapshot.upstreamLastSuccessMs != nil || snapshot.upstreamError != nil || snapshot.problems.contains("upstream_unreachable")
        else { return "<p class=\"empty\">\(t(l.say(ConsoleMessages.upstreamNone)))</p>" }
        var lines: [String] = []
        if let ms = snapshot.upstreamLastSuccessMs {
            lines.append(t(l.say(ConsoleMessages.upstreamLastSuccess, Self.time(ms))))
        } else {
            lines.append(t(l.say(ConsoleMessages.upstreamNever)))
        }
        if let error = snapshot.upstreamError { lines.append(t(l.say(ConsoleMessages.upstreamLastError, error))) }
        return "<p>" + lines.joined(separator: "<br>") + "</p>"
    }

    private var alerts: String {
        let counts: [(String, Int)] = [
            (l.say(ConsoleMessages.alertEquivocations, status.equivocations), status.equivocations),
            (l.say(ConsoleMessages.alertUnwitnessed, status.unwitnessed), status.unwitnessed),
            (l.say(ConsoleMessages.alertQuarantined, status.quarantined), status.quarantined),
            (l.say(ConsoleMessages.alertGaps, status.gaps), status.gaps),
            (l.say(ConsoleMessages.alertPending, snapshot.pending), snapshot.pending),
        ]
        let shown = counts.filter { $0.1 > 0 }
        guard !shown.isEmpty else { return "<p class=\"empty\">\(t(l.say(ConsoleMessages.noAlerts)))</p>" }
        return "<ul>" + shown.map { "<li>\(t($0.0))</li>" }.joined() + "</ul>"
    }

    /// One card per device (a table would scroll sideways on a phone): who holds it, its
    /// fingerprint to compare with the phone's screen, when it last synced, and how far behind it is.
    private var devices: String {
        let colon = l.say(Punctuation.colon)
        let cards = status.devices.map { d -> String in
            let who = d.name.map { $0 + (d.role.map { "（\($0)）" } ?? "") } ?? "–"
            let behind =
                d.lagChanges == 0 ? l.say(ConsoleMessages.upToDate) : l.say(ConsoleMessages.behindChanges, d.lagChanges, d.lagMinutes)
            let facts =
                [
                    l.say(ConsoleMessages.lastSeenColumn) + colon + d.lastSeen,
                    l.say(ConsoleMessages.sessionsColumn) + colon + "\(d.sessions)（\(d.failures)）",
                    l.say(ConsoleMessages.behindColumn) + colon + behind,
                ] + (d.lastError.map { [l.say(ConsoleMessages.lastErrorColumn) + colon + $0] } ?? [])
            return "<li><strong>\(t(who))</strong>\(d.equivocating ? t(l.say(ConsoleMessages.equivocatingDevice)) : "")"
                + "<br><code>\(t(d.device))</code>"
                + facts.map { "<span class=\"why\">\(t($0))</span>" }.joined() + "</li>"
        }
        return "<p>\(t(l.say(ConsoleMessages.devicesServed, status.devices.count)))</p><ul class=\"devices\">\(cards.joined())</ul>"
    }

    /// The published figures of the last six months, newest first: a row per school and the sum, exact
    /// (privacy.md §4.2 argues why a school's counts may travel in clear).
    private var published: String {
        guard !figures.isEmpty else { return "<p class=\"empty\">\(t(l.say(ConsoleMessages.noFiguresYet)))</p>" }
        let shown: [PublishedFigures.Measure] = [.children, .suspectedOpen, .dropoutOpen, .returned, .homeTeachingHours]
        let head = [
            l.say(ConsoleMessages.figuresSchool), l.say(ConsoleMessages.figuresChildren), l.say(ConsoleMessages.figuresSuspected),
            l.say(ConsoleMessages.figuresDropouts), l.say(ConsoleMessages.figuresReturned), l.say(ConsoleMessages.figuresHomeHours),
        ].map { "<th scope=\"col\">\(t($0))</th>" }.joined()
        let periods = Array(Set(figures.map(\.figures.period)).sorted(by: >).prefix(6))
        return periods.map { period in
            let rows = figures.filter { $0.figures.period == period }
            let lines = rows.map { e -> String in
                let name = e.figures.school.value.split(separator: "/").last.map(String.init) ?? e.figures.school.value
                let cells = shown.map { "<td>\(e.figures[$0])</td>" }.joined()
                return "<tr><th scope=\"row\" title=\"\(t(e.figures.school.value))\">\(t(name))</th>\(cells)</tr>"
            }
            let sums = shown.map { m in "<td>\(rows.reduce(0) { $0 + $1.figures[m] })</td>" }.joined()
            let caption = t(l.say(ConsoleMessages.figuresMonth, period))
            let total = "<tr class=\"sum\"><th scope=\"row\">\(t(l.say(ConsoleMessages.figuresTotal)))</th>\(sums)</tr>"
            return "<table class=\"figures\"><caption>\(caption)</caption><thead><tr>\(head)</tr></thead>"
                + "<tbody>\(lines.joined())\(total)</tbody></table>"
        }.joined() + "<p class=\"why\">\(t(l.say(ConsoleMessages.figuresNote)))</p>"
    }

    private static func time(_ ms: UInt64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}

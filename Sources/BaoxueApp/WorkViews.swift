import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation

/// One child in conflict on one field: every concurrent value and who wrote
/// it, shown value first. Settled by writing the field again (`child set` or
/// `child status`), which supersedes all the values it has seen.
public struct ConflictView: Codable, Equatable, Sendable {
    public struct Value: Codable, Equatable, Sendable {
        public let value: String
        public let author: String
    }
    public let child: String
    public let name: String
    public let field: String
    public let values: [Value]

    public func lines(_ l: Language) -> [String] {
        [
            l.pick(
                "\(name)（\(child)）的\(ReplicaCommands.fieldLabel(field))有 \(values.count) 个并发值：",
                "\(name) (\(child)): \(field) has \(values.count) concurrent values:")
        ]
            + values.map { "  \($0.value) — \($0.author)" }
    }
}

/// "Today's work" (今日工作): the notices' rules evaluated for one day.
public struct TodayView: Codable, Equatable, Sendable {
    public struct Item: Codable, Equatable, Sendable {
        public let child: String
        public let name: String
        public let since: String
        public let amount: Int?
    }
    public let date: String
    public let visitsDue: [Item]
    public let contactOverdue: [Item]
    public let homeTeachingShortfall: [Item]
    public let casesWithoutRecentAttempt: [Item]

    public func lines(_ l: Language) -> [String] {
        var out = [l.pick("\(date) 今日工作", "today's work, \(date)")]
        func section(_ title: String, _ items: [Item], _ detail: (Item) -> String) {
            out.append("\(title)：\(items.count)")
            out += items.map { "  \($0.name)（\($0.child)）\(detail($0))" }
        }
        section(l.pick("请假超过规定天数、尚未家访", "on leave longer than the policy allows, not yet visited"), visitsDue) {
            l.pick("，请假自 \($0.since)", ", on leave since \($0.since)")
        }
        section(l.pick("超过规定间隔未联系", "not contacted within the policy's interval"), contactOverdue) {
            $0.since.isEmpty ? l.pick("，从未联系", ", never contacted") : l.pick("，上次联系 \($0.since)", ", last contact \($0.since)")
        }
        section(l.pick("本月送教不足", "home teaching short this month"), homeTeachingShortfall) {
            l.pick("，本月 \($0.amount ?? 0) 次", ", \($0.amount ?? 0) session(s) this month")
        }
        section(l.pick("劝返案卷超过规定天数无劝返记录", "cases without an attempt within the policy's interval"), casesWithoutRecentAttempt) {
            l.pick("，自 \($0.since)", ", since \($0.since)")
        }
        return out
    }
}

extension ReplicaCommands {
    /// Every field in conflict, with each value and its author's certificate name.
    public static func conflicts(
        directory: String, language l: Language
    ) throws(AppError) -> [ConflictView] {
        try conflicts(try open(directory), language: l)
    }

    static func conflicts(
        _ replica: Replica, language l: Language
    ) throws(AppError) -> [ConflictView] {
        let log = replica.log
        var out: [ConflictView] = []
        for child in try attempt({ () throws(StoreError) in try log.conflicts() }) {
            for field in child.conflicts {
                let values = try attempt { () throws(StoreError) in
                    try log.read { s throws(StoreError) in try s.liveValues(kind: .child, record: child.child, field: field) }
                }
                var shown: [ConflictView.Value] = []
                for v in values {
                    let who = try attempt { () throws(StoreError) in try log.holder(of: v.author)?.name } ?? v.author.fingerprint.text
                    shown.append(.init(value: text(field, v.value, full: false, l), author: who))
                }
                out.append(ConflictView(child: child.child.hex, name: child.name ?? "?", field: field, values: shown))
            }
        }
        return out
    }

    /// Visits due, contacts overdue, home-teaching shortfalls this month, cases without a recent attempt.
    public static func today(
        directory: String, date: SimpleDate?
    ) throws(AppError) -> TodayView {
        try today(try open(directory), date: date)
    }

    static func today(
        _ replica: Replica, date: SimpleDate?
    ) throws(AppError) -> TodayView {
        let log = replica.log
        let day = try BaoxueApp.day(date)
        func items(_ rows: [AttentionRow]) -> [TodayView.Item] {
            rows.map { .init(child: $0.child.hex, name: $0.name ?? "?", since: $0.since, amount: $0.amount) }
        }
        return try attempt { () throws(StoreError) in
            TodayView(
                date: day.description,
                visitsDue: items(try log.visitsDue(today: day)),
                contactOverdue: items(try log.contactOverdue(today: day)),
                homeTeachingShortfall: items(try log.homeTeachingMonthlyShortfall(month: day)),
                casesWithoutRecentAttempt: items(try log.casesWithoutRecentAttempt(today: day)))
        }
    }
}

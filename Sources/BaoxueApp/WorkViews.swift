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
            l.say(ChildMessages.concurrentValues, name, child, l.fieldName(field), values.count)
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
        var out = [l.say(ChildMessages.todaysWork, date)]
        func section(_ title: String, _ items: [Item], _ detail: (Item) -> String) {
            out.append("\(title)：\(items.count)")
            out += items.map { "  \($0.name)（\($0.child)）\(detail($0))" }
        }
        section(l.say(ChildMessages.onLeaveLongerThanPolicy), visitsDue) {
            l.say(ChildMessages.onLeaveSince, $0.since)
        }
        section(l.say(ChildMessages.notContactedWithinPolicysInterval), contactOverdue) {
            $0.since.isEmpty ? l.say(ChildMessages.neverContacted) : l.say(ChildMessages.lastContact, $0.since)
        }
        section(l.say(ChildMessages.homeTeachingShortThisMonth), homeTeachingShortfall) {
            l.say(ChildMessages.sessionsThisMonth, $0.amount ?? 0)
        }
        section(l.say(ChildMessages.casesWithoutAttemptWithinPolicys), casesWithoutRecentAttempt) {
            l.say(ChildMessages.since, $0.since)
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

import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation

/// A persuasion-to-return case as `baoxue case list` and `case show` print it.
public struct CaseSummary: Codable, Equatable, Sendable {
    public let caseFile: String
    public let child: String?
    public let name: String?
    public let line: String
    public let events: [String]
}

/// A child's home-teaching book (送教上门工作手册) for one month: every session and the total
/// against what the policy asks of a month.
public struct TeachingBook: Codable, Equatable, Sendable {
    public let child: String
    public let name: String?
    public let month: String
    public let sessions: [String]
    public let classHours: Int
    public let requiredClassHours: Int

    public func lines(_ l: Language) -> [String] {
        [l.say(ChildMessages.homeTeachingBook, name ?? child, month)]
            + sessions.map { "  " + $0 }
            + [
                l.say(ChildMessages.classHoursThisMonthPolicy, classHours, requiredClassHours)
                    + (classHours < requiredClassHours ? l.say(ChildMessages.short) : "")
            ]
    }
}

extension ReplicaCommands {
    /// Cases: all open ones (`which` nil), or the one whose id is or starts with `which`.
    public static func cases(
        directory: String, which: String?, language l: Language
    ) throws(AppError) -> [CaseSummary] {
        try cases(try open(directory), which: which, language: l)
    }

    static func cases(
        _ replica: Replica, which: String?, language l: Language
    ) throws(AppError) -> [CaseSummary] {
        let log = replica.log
        var views = try attempt { () throws(StoreError) in try log.cases() }
        if let which {
            views = views.filter { $0.caseFile.hex.hasPrefix(which.lowercased()) }
            guard views.count == 1 else { throw .invalidArgument(option: "CASE", value: which) }
        } else {
            views = views.filter { $0.placement == nil }
        }
        let text = EventText(language: l)
        return try views.map { v throws(AppError) in
            let name = try v.child.flatMap { c throws(AppError) in try attempt { () throws(StoreError) in try log.child(c) }?.name }
            return CaseSummary(
                caseFile: v.caseFile.hex, child: v.child?.hex, name: name,
                line: (name.map { "\($0)　" } ?? "") + text.caseLine(v),
                events: v.events.map { text.line($0, amendedBy: []) })
        }
    }

    /// The home-teaching sessions of `child` in `month` (YYYY-MM), voided ones left out of the total.
    public static func teachingBook(
        directory: String, child: String, month: String, language l: Language
    ) throws(AppError) -> TeachingBook {
        let log = try open(directory).log
        let id = try resolveChild(log, child)
        guard month.count == 7, let first = try? SimpleDate(month + "-01") else { throw .invalidArgument(option: "--month", value: month) }
        let days = SimpleDate.daysIn(month: first.month, year: first.year)
        let last = (try? SimpleDate(year: first.year, month: first.month, day: days)) ?? first
        let rows = try attempt { () throws(StoreError) in try log.events(child: id, kind: EventKind.homeTeaching.rawValue) }
            .filter { $0.date >= first.description && $0.date <= last.description }
        let hours = rows.filter { !$0.voided }.reduce(0) { sum, row in
            if case .homeTeaching(let h) = row.event.body { return sum + h.classHours }
            return sum
        }
        // The monthly hours of the policy in force on the month's last day for the child's district.
        let policy = try attempt { () throws(StoreError) in
            try log.policyBook().policy(for: try log.currentScopes([id])[id], on: last)
        }
        let name = try attempt { () throws(StoreError) in try log.child(id) }?.name
        return TeachingBook(
            child: id.hex, name: name, month: month, sessions: rows.map { EventText(language: l).line($0, amendedBy: []) },
            classHours: hours,
            requiredClassHours: policy.homeTeachingSessionsPerMonth * policy.homeTeachingClassHoursPerSession)
    }
}

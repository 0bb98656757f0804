import BaoxueCore
import BaoxueRecords
import Foundation
import GRDB

/// A child the policy says needs attention, and why.
public struct AttentionRow: Sendable, Equatable, Codable {
    public let child: RecordID
    public let name: String?
    /// The date the rule counts from (leave start, last contact, semester start …).
    public let since: String
    /// For home teaching: class hours delivered in the period.
    public let amount: Int?
}

/// The notices' rules evaluated at query time for a given day, so a late
/// change (an old visit synced today) is reflected the moment it is applied.
/// Voided events never count. Each child is judged by the policy in force
/// that day for the district it is written in (`PolicyBook`); `base` where
/// no district published one. SQL picks the candidates, the thresholds are
/// applied per child.
extension ChangeLog {
    /// An event counts unless voided or replaced by a live amendment (the amendment counts instead).
    static let liveEvent = """
        NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = e.op)
        AND NOT EXISTS (SELECT 1 FROM rec_event a WHERE a.amends = e.op AND NOT EXISTS (SELECT 1 FROM rec_void va WHERE va.target = a.op))
        """

    /// Children on leave longer than their district's policy's days at `today` with no visit since the leave began.
    public func visitsDue(today: SimpleDate, base: Policy = .fengnan) throws(StoreError) -> [AttentionRow] {
        let rows = try candidates(
            sql: """
                SELECT e.child AS child, c.name AS name, e.starts AS since,
                    CAST(julianday(e.ends) - julianday(e.starts) + 1 AS INTEGER) AS amount
                FROM rec_event e LEFT JOIN child_view c ON c.child = e.child
                WHERE e.kind = 'leave' AND \(Self.liveEvent)
                  AND e.starts <= :today AND e.ends >= :today
                  AND NOT EXISTS (SELECT 1 FROM rec_event w WHERE w.child = e.child AND w.kind = 'visit'
                                  AND w.date >= e.starts
                                  AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = w.op))
                """, ["today": today.description])
        let policies = try policies(of: rows, on: today, base: base)
        let due = rows.filter { ($0.amount ?? 0) > policies[$0.child, default: base].leaveDaysRequiringVisit }
        return Self.earliestPerChild(due).map { AttentionRow(child: $0.child, name: $0.name, since: $0.since, amount: nil) }
    }

    /// Children on a ledger or on a leave longer than their policy's days whose last visit is older
    /// than their policy's contact interval (or who had none).
    public func contactOverdue(today: SimpleDate, base: Policy = .fengnan) throws(StoreError) -> [AttentionRow] {
        // amount: 0 for an open ledger entry, else the length of a leave not yet over.
        let rows = try candidates(
            sql: """
                WITH watched AS (
                    SELECT o.child AS child, 0 AS amount FROM rec_opener o WHERE NOT EXISTS (SELECT 1 FROM rec_closed x
                        WHERE x.opener = o.op)
                    UNION
                    SELECT e.child, CAST(julianday(e.ends) - julianday(e.starts) + 1 AS INTEGER) FROM rec_event e
                    WHERE e.kind = 'leave' AND \(Self.liveEvent) AND e.ends >= :today
                )
                SELECT watched.child AS child, c.name AS name, watched.amount AS amount,
                    COALESCE((SELECT MAX(w.date) FROM rec_event w WHERE w.child = watched.child AND w.kind = 'visit'
                              AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = w.op)), '') AS since
                FROM watched LEFT JOIN child_view c ON c.child = watched.child
                """, ["today": today.description])
        let policies = try policies(of: rows, on: today, base: base)
        var out: [RecordID: AttentionRow] = [:]
        for row in rows {
            let policy = policies[row.child, default: base]
            guard row.amount == 0 || row.amount! > policy.leaveDaysRequiringVisit else { continue }
            let cutoff = try record { () throws(RecordsError) in try today.adding(days: -policy.contactIntervalDays) }
            guard row.since.isEmpty || row.since < cutoff.description else { continue }
            out[row.child] = AttentionRow(child: row.child, name: row.name, since: row.since, amount: nil)
        }
        return Self.byName(Array(out.values))
    }

    /// Children in home teaching whose class hours between `from` and `to` fall short of their
    /// policy's semester requirement (the policy in force on `to`).
    public func homeTeachingShortfall(from: SimpleDate, to: SimpleDate, base: Policy = .fengnan) throws(StoreError) -> [AttentionRow] {
        let rows = try candidates(
            sql: """
                SELECT c.child AS child, c.name AS name, :from AS since,
                       COALESCE((SELECT SUM(e.amount) FROM rec_event e
                                 WHERE e.child = c.child AND e.kind = 'homeTeaching' AND e.date BETWEEN :from AND :to
                                   AND \(Self.liveEvent)), 0) AS amount
                FROM child_view c WHERE c.status = 'homeTeaching' AND c.voided IS NULL
                """, ["from": from.description, "to": to.description])
        let policies = try policies(of: rows, on: to, base: base)
        return Self.byName(rows.filter { $0.amount! < policies[$0.child, default: base].homeTeachingClassHoursPerSemester })
    }

    /// Children in home teaching with fewer sessions in the month of `day` than their policy asks
    /// (the notice: 2–3 a month; the policy in force on the month's last day); `amount` = sessions held.
    public func homeTeachingMonthlyShortfall(month day: SimpleDate, base: Policy = .fengnan) throws(StoreError) -> [AttentionRow] {
        let first = try record { () throws(RecordsError) in try SimpleDate(year: day.year, month: day.month, day: 1) }
        let last = try record { () throws(RecordsError) in
            try SimpleDate(year: day.year, month: day.month, day: SimpleDate.daysIn(month: day.month, year: day.year))
        }
        let rows = try candidates(
            sql: """
                SELECT c.child AS child, c.name AS name, :from AS since,
                       (SELECT COUNT(*) FROM rec_event e WHERE e.child = c.child AND e.kind = 'homeTeaching'
                          AND e.date BETWEEN :from AND :to AND \(Self.liveEvent)) AS amount
                FROM child_view c WHERE c.status = 'homeTeaching' AND c.voided IS NULL
                """, ["from": first.description, "to": last.description])
        let policies = try policies(of: rows, on: last, base: base)
        return Self.byName(rows.filter { $0.amount! < policies[$0.child, default: base].homeTeachingSessionsPerMonth })
    }

    /// Open cases (no outcome yet) whose last persuasion attempt is older than their child's policy's
    /// interval, or that have none.
    public func casesWithoutRecentAttempt(today: SimpleDate, base: Policy = .fengnan) throws(StoreError) -> [AttentionRow] {
        let rows = try candidates(
            sql: """
                SELECT substr(k.value, 3) AS child, c.name AS name,
                       COALESCE((SELECT MAX(e.date) FROM rec_event e WHERE e.subject = k.record AND e.kind = 'persuasion'
                                 AND \(Self.liveEvent)), '') AS since,
                       NULL AS amount
                FROM rec_write k LEFT JOIN child_view c ON c.child = substr(k.value, 3)
                WHERE k.kind = 'caseFile' AND k.field = 'child' AND k.live = 1
                  AND NOT EXISTS (SELECT 1 FROM rec_write o WHERE o.record = k.record AND o.kind = 'caseFile' AND o.field = 'outcome'
                      AND o.live = 1)
                """, [:])
        let policies = try policies(of: rows, on: today, base: base)
        var stalled: [AttentionRow] = []
        for row in rows {
            let interval = policies[row.child, default: base].caseAttemptIntervalDays
            let cutoff = try record { () throws(RecordsError) in try today.adding(days: -interval) }
            if row.since.isEmpty || row.since < cutoff.description { stalled.append(row) }
        }
        return Self.byName(stalled)
    }

    /// The policy in force on `day` for each child of `rows`, by the scope the child is written in now.
    private func policies(of rows: [AttentionRow], on day: SimpleDate, base: Policy) throws(StoreError) -> [RecordID: Policy] {
        let book = try policyBook(base: base)
        guard !book.entries.isEmpty else { return [:] }
        return try currentScopes(rows.map(\.child)).mapValues { book.policy(for: $0, on: day) }
    }

    /// One row per child, its earliest `since`, by name.
    private static func earliestPerChild(_ rows: [AttentionRow]) -> [AttentionRow] {
        var first: [RecordID: AttentionRow] = [:]
        for row in rows where first[row.child].map({ row.since < $0.since }) ?? true { first[row.child] = row }
        return byName(Array(first.values))
    }

    /// By name, then child id (the order every list of the app uses).
    private static func byName(_ rows: [AttentionRow]) -> [AttentionRow] {
        rows.sorted { ($0.name ?? "", $0.child.hex) < ($1.name ?? "", $1.child.hex) }
    }

    private func candidates(sql: String, _ arguments: [String: (any DatabaseValueConvertible)?]) throws(StoreError) -> [AttentionRow] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                    AttentionRow(
                        child: try RecordID(hex: row["child"]), name: row["name"], since: row["since"] ?? "", amount: row["amount"])
                }
            }
        }
    }

    private func record<T>(_ body: () throws(RecordsError) -> T) throws(StoreError) -> T {
        do { return try body() } catch { throw .invalidRecord(error) }
    }
}

/// An open persuasion-to-return case (一人一案) with its child and last attempt.
public struct OpenCase: Sendable, Equatable {
    public let caseFile: RecordID
    public let child: RecordID
    public let name: String?
    public let reason: ReasonCategory?
    public let lastAttempt: String?
}

extension ChangeLog {
    /// Case files without an outcome yet, by child name.
    public func openCases() throws(StoreError) -> [OpenCase] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT k.record AS file, substr(k.value, 3) AS child, c.name AS name,
                               (SELECT substr(r.value, 3) FROM rec_write r WHERE r.record = k.record AND r.kind = 'caseFile'
                                  AND r.field = 'reason' AND r.live = 1 ORDER BY r.hlc DESC, r.op DESC LIMIT 1) AS reason,
                               (SELECT MAX(e.date) FROM rec_event e WHERE e.subject = k.record AND e.kind = 'persuasion'
                                  AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = e.op)) AS last
                        FROM rec_write k LEFT JOIN child_view c ON c.child = substr(k.value, 3)
                        WHERE k.kind = 'caseFile' AND k.field = 'child' AND k.live = 1
                          AND NOT EXISTS (SELECT 1 FROM rec_write o WHERE o.record = k.record AND o.kind = 'caseFile'
                              AND o.field = 'outcome' AND o.live = 1)
                        ORDER BY c.name, k.record
                        """
                ).map { row in
                    OpenCase(
                        caseFile: try RecordID(hex: row["file"]), child: try RecordID(hex: row["child"]), name: row["name"],
                        reason: (row["reason"] as String?).flatMap(ReasonCategory.init(rawValue:)), lastAttempt: row["last"])
                }
            }
        }
    }
}

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
/// Voided events never count.
extension ChangeLog {
    /// An event counts unless voided or replaced by a live amendment (the amendment counts instead).
    static let liveEvent = """
        NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = e.op)
        AND NOT EXISTS (SELECT 1 FROM rec_event a WHERE a.amends = e.op AND NOT EXISTS (SELECT 1 FROM rec_void va WHERE va.target = a.op))
        """

    /// Children on leave longer than the policy's days at `today` with no visit since the leave began.
    public func visitsDue(today: SimpleDate, policy: Policy = .fengnan) throws(StoreError) -> [AttentionRow] {
        try attention(sql: """
            SELECT e.child AS child, c.name AS name, MIN(e.starts) AS since, NULL AS amount
            FROM rec_event e LEFT JOIN child_view c ON c.child = e.child
            WHERE e.kind = 'leave' AND \(Self.liveEvent)
              AND e.starts <= :today AND e.ends >= :today
              AND julianday(e.ends) - julianday(e.starts) + 1 > :days
              AND NOT EXISTS (SELECT 1 FROM rec_event w WHERE w.child = e.child AND w.kind = 'visit'
                              AND w.date >= e.starts
                              AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = w.op))
            GROUP BY e.child ORDER BY c.name, e.child
            """, ["today": today.description, "days": policy.leaveDaysRequiringVisit])
    }

    /// Children on a ledger or on long leave whose last visit is older than the contact interval (or who had none).
    public func contactOverdue(today: SimpleDate, policy: Policy = .fengnan) throws(StoreError) -> [AttentionRow] {
        let cutoff = try record { () throws(RecordsError) in try today.adding(days: -policy.contactIntervalDays) }
        return try attention(sql: """
            WITH watched AS (
                SELECT o.child FROM rec_opener o WHERE NOT EXISTS (SELECT 1 FROM rec_closed x WHERE x.opener = o.op)
                UNION
                SELECT e.child FROM rec_event e WHERE e.kind = 'leave' AND \(Self.liveEvent)
                  AND e.ends >= :today
                  AND julianday(e.ends) - julianday(e.starts) + 1 > :days
            ), last AS (
                SELECT w.child, MAX(w.date) AS date FROM rec_event w
                WHERE w.kind = 'visit' AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = w.op) GROUP BY w.child
            )
            SELECT watched.child AS child, c.name AS name, COALESCE(last.date, '') AS since, NULL AS amount
            FROM watched LEFT JOIN last ON last.child = watched.child LEFT JOIN child_view c ON c.child = watched.child
            WHERE last.date IS NULL OR last.date < :cutoff
            ORDER BY c.name, watched.child
            """, ["today": today.description, "days": policy.leaveDaysRequiringVisit, "cutoff": cutoff.description])
    }

    /// Children in home teaching whose class hours between `from` and `to` fall short of the semester requirement.
    public func homeTeachingShortfall(from: SimpleDate, to: SimpleDate, policy: Policy = .fengnan) throws(StoreError) -> [AttentionRow] {
        try attention(sql: """
            SELECT c.child AS child, c.name AS name, :from AS since,
                   COALESCE((SELECT SUM(e.amount) FROM rec_event e
                             WHERE e.child = c.child AND e.kind = 'homeTeaching' AND e.date BETWEEN :from AND :to
                               AND \(Self.liveEvent)), 0) AS amount
            FROM child_view c WHERE c.status = 'homeTeaching' AND c.voided IS NULL AND amount < :required
            ORDER BY c.name, c.child
            """, ["from": from.description, "to": to.description, "required": policy.homeTeachingClassHoursPerSemester])
    }

    /// Children in home teaching with fewer sessions in the month of `day`
    /// than the policy asks (the notice: 2–3 a month); `amount` = sessions held.
    public func homeTeachingMonthlyShortfall(month day: SimpleDate, policy: Policy = .fengnan) throws(StoreError) -> [AttentionRow] {
        let first = try record { () throws(RecordsError) in try SimpleDate(year: day.year, month: day.month, day: 1) }
        let last = try record { () throws(RecordsError) in
            try SimpleDate(year: day.year, month: day.month, day: SimpleDate.daysIn(month: day.month, year: day.year))
        }
        return try attention(sql: """
            SELECT c.child AS child, c.name AS name, :from AS since,
                   (SELECT COUNT(*) FROM rec_event e WHERE e.child = c.child AND e.kind = 'homeTeaching'
                      AND e.date BETWEEN :from AND :to AND \(Self.liveEvent)) AS amount
            FROM child_view c WHERE c.status = 'homeTeaching' AND c.voided IS NULL AND amount < :required
            ORDER BY c.name, c.child
            """, ["from": first.description, "to": last.description, "required": policy.homeTeachingSessionsPerMonth])
    }

    /// Open cases (no outcome yet) whose last persuasion attempt is older than the policy's interval, or that have none.
    public func casesWithoutRecentAttempt(today: SimpleDate, policy: Policy = .fengnan) throws(StoreError) -> [AttentionRow] {
        let cutoff = try record { () throws(RecordsError) in try today.adding(days: -policy.caseAttemptIntervalDays) }
        return try attention(sql: """
            SELECT substr(k.value, 3) AS child, c.name AS name,
                   COALESCE((SELECT MAX(e.date) FROM rec_event e WHERE e.subject = k.record AND e.kind = 'persuasion' AND \(Self.liveEvent)), '') AS since,
                   NULL AS amount
            FROM rec_write k LEFT JOIN child_view c ON c.child = substr(k.value, 3)
            WHERE k.kind = 'caseFile' AND k.field = 'child' AND k.live = 1
              AND NOT EXISTS (SELECT 1 FROM rec_write o WHERE o.record = k.record AND o.kind = 'caseFile' AND o.field = 'outcome' AND o.live = 1)
              AND (since = '' OR since < :cutoff)
            ORDER BY c.name, child
            """, ["cutoff": cutoff.description])
    }

    private func attention(sql: String, _ arguments: [String: (any DatabaseValueConvertible)?]) throws(StoreError) -> [AttentionRow] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                    AttentionRow(child: try RecordID(hex: row["child"]), name: row["name"], since: row["since"] ?? "", amount: row["amount"])
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
                try Row.fetchAll(db, sql: """
                    SELECT k.record AS file, substr(k.value, 3) AS child, c.name AS name,
                           (SELECT substr(r.value, 3) FROM rec_write r WHERE r.record = k.record AND r.kind = 'caseFile'
                              AND r.field = 'reason' AND r.live = 1 ORDER BY r.hlc DESC, r.op DESC LIMIT 1) AS reason,
                           (SELECT MAX(e.date) FROM rec_event e WHERE e.subject = k.record AND e.kind = 'persuasion'
                              AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = e.op)) AS last
                    FROM rec_write k LEFT JOIN child_view c ON c.child = substr(k.value, 3)
                    WHERE k.kind = 'caseFile' AND k.field = 'child' AND k.live = 1
                      AND NOT EXISTS (SELECT 1 FROM rec_write o WHERE o.record = k.record AND o.kind = 'caseFile' AND o.field = 'outcome' AND o.live = 1)
                    ORDER BY c.name, k.record
                    """).map { row in
                    OpenCase(caseFile: try RecordID(hex: row["file"]), child: try RecordID(hex: row["child"]), name: row["name"],
                             reason: (row["reason"] as String?).flatMap(ReasonCategory.init(rawValue:)), lastAttempt: row["last"])
                }
            }
        }
    }
}

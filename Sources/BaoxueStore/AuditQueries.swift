import BaoxueCore
import BaoxueRecords
import Foundation
import GRDB

/// One line of a child's audit trail: an op that touched the child, who
/// signed it, when, whether its change still verifies, and what became of it.
public struct AuditEntry: Sendable, Equatable {
    public let op: OpID
    public let what: String
    public let author: PublicKey
    public let hlc: HLCTimestamp
    /// The stored change re-verified now (signature and id).
    public let verified: Bool
    /// "superseded", "voided: reason", "rejected: reason", or "" when in force.
    public let note: String
    /// Relays that countersigned the change, earliest first.
    public let witnesses: [Witness]
}

/// A relay's receipt for one change: which relay, at which time (ms, the receipt's HLC).
public struct Witness: Sendable, Equatable {
    public let relay: PublicKey
    public let at: UInt64
}

/// A child's events of one kind, oldest first.
public struct EventRow: Sendable, Equatable {
    public let op: OpID
    public let date: String
    public let event: Event
    public let voided: Bool
}

extension ChangeLog {
    /// Every op about `child`, in HLC order, each re-verified from the log.
    public func audit(child: RecordID) throws(StoreError) -> [AuditEntry] {
        try storeCall {
            try readDB { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT op, 'set ' || field AS what, CASE WHEN live = 0 THEN 'superseded' ELSE '' END AS note, NULL AS body,
                            NULL AS evidence
                               FROM rec_write WHERE record = ?1
                        UNION ALL SELECT tag, 'add ' || set_name || ' ' || element, CASE WHEN live = 0 THEN 'removed' ELSE '' END,
                            NULL, NULL
                               FROM rec_element WHERE record = ?1
                        UNION ALL SELECT op, 'event ' || kind, '', CASE WHEN kind = 'visit' THEN body END, NULL FROM rec_event
                            WHERE child = ?1
                        UNION ALL SELECT op, 'closeOut ' || ledger, '', NULL, evidence FROM rec_closeout WHERE child = ?1
                        """, arguments: [child.hex])
                var out: [AuditEntry] = []
                for row in rows {
                    let op = try OpID(bytes: Array(row["op"] as Data))
                    guard
                        let bytes = try Data.fetchOne(db, sql: "SELECT bytes FROM change WHERE id = ?", arguments: [Data(op.change.bytes)])
                    else { continue }
                    // Verify once; a change that no longer verifies is still listed, marked.
                    let checked = try? Change.decode(Array(bytes), expectedID: op.change)
                    let stored = try checked ?? Change.decodeVerified(Array(bytes))
                    var note: String = row["note"]
                    if let void = try String.fetchOne(
                        db, sql: "SELECT reason FROM rec_void WHERE target = ? ORDER BY op LIMIT 1", arguments: [Data(op.bytes)])
                    {
                        note = "voided: \(void)"
                    }
                    // Attachments (content hashes) a visit or close-out rests on, as 12-digit prefixes.
                    var what: String = row["what"]
                    var hashes: [String] = ((row["evidence"] as String?) ?? "").split(separator: ",").map(String.init)
                    if let body = row["body"] as Data?, let event = try? Event.decode(Array(body)),
                        case .visit(let visit) = event.body
                    {
                        hashes = visit.evidence
                    }
                    if !hashes.isEmpty { what += " [" + hashes.map { String($0.prefix(12)) }.joined(separator: ", ") + "]" }
                    out.append(
                        AuditEntry(
                            op: op, what: what, author: stored.author, hlc: stored.timestamp, verified: checked != nil, note: note,
                            witnesses: try Self.witnesses(of: op.change, db: db)))
                }
                return out.sorted { ($0.hlc, $0.op) < ($1.hlc, $1.op) }
            }
        }
    }

    static func witnesses(of id: ChangeID, db: Database) throws -> [Witness] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT relay, at FROM witness WHERE change = ? ORDER BY at, relay"), arguments: [Data(id.bytes)]
        )
        .map { Witness(relay: try PublicKey(bytes: Array($0[0] as Data)), at: UInt64($0[1] as Int64)) }
    }

    /// The relays that countersigned change `id`, earliest first.
    public func witnesses(of id: ChangeID) throws(StoreError) -> [Witness] {
        try storeCall { try readDB { db in try Self.witnesses(of: id, db: db) } }
    }

    /// A child's events (all kinds, or one), oldest first, voided ones marked.
    public func events(child: RecordID, kind: String? = nil) throws(StoreError) -> [EventRow] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT op, date, body, EXISTS (SELECT 1 FROM rec_void v WHERE v.target = e.op) AS voided
                        FROM rec_event e WHERE child = ? AND (? IS NULL OR kind = ?) ORDER BY date, op
                        """, arguments: [child.hex, kind, kind]
                ).map { row in
                    EventRow(
                        op: try OpID(bytes: Array(row["op"] as Data)), date: row["date"],
                        event: try Event.decode(Array(row["body"] as Data)), voided: row["voided"])
                }
            }
        }
    }

    /// Children in a focus group (a focus-group ledger), by name.
    public func focusLedger(_ group: FocusGroup, school: String? = nil) throws(StoreError) -> [ChildView] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.* FROM child_view c WHERE EXISTS (
                            SELECT 1 FROM rec_element e WHERE e.record = c.child AND e.set_name = 'focus' AND e.element = ? AND e.live = 1)
                        AND (? IS NULL OR c.school = ?) AND c.voided IS NULL ORDER BY c.name, c.child
                        """, arguments: [group.rawValue, school, school]
                ).map(ChildView.init)
            }
        }
    }

    /// Class hours of home teaching per child between two dates (voided sessions excluded).
    public func homeTeachingHours(
        from: SimpleDate, to: SimpleDate
    ) throws(StoreError) -> [(child: RecordID, classHours: Int, sessions: Int)] {
        try storeCall {
            try readDB { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT child, SUM(amount) AS hours, COUNT(*) AS sessions
                        FROM rec_event e WHERE kind = 'homeTeaching' AND date BETWEEN ? AND ?
                          AND NOT EXISTS (SELECT 1 FROM rec_void v WHERE v.target = e.op)
                        GROUP BY child ORDER BY child
                        """, arguments: [from.description, to.description]
                ).map { row in
                    (try RecordID(hex: row["child"]), row["hours"] as Int, row["sessions"] as Int)
                }
            }
        }
    }
}

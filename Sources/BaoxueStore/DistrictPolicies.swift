import BaoxueCore
import BaoxueRecords
import BaoxueTrust
import Foundation
import GRDB

/// The district policies a replica learnt from applied `_admin` changes (trust.md §9), and what a
/// new one changes: the absence openers of every child with absences in its district, re-derived
/// under the policies in force on each day. Query-time rules read them through `policyBook()`.
extension ChangeLog {
    static func registerDistrictPolicies(in m: inout DatabaseMigrator) {
        m.registerMigration("v17-district-policies") { db in
            try db.execute(
                sql: """
                    CREATE TABLE district_policy (change BLOB PRIMARY KEY, hlc INTEGER NOT NULL, encoded BLOB NOT NULL) WITHOUT ROWID;
                    """)
            // Policies already applied (none before this version wrote them; kept for a log carried over).
            let rows = try Row.fetchCursor(
                db, sql: "SELECT id, bytes FROM change WHERE scope = ? AND state = \(ChangeState.applied.sql)",
                arguments: [ScopeID.admin.value])
            while let row = try rows.next() {
                guard let change = try? Change.decodeStructure(Array(row[1] as Data)),
                    case .policy(let p)? = try? AdminPayload.decode(change.payload)
                else { continue }
                try db.execute(
                    sql: "INSERT OR IGNORE INTO district_policy (change, hlc, encoded) VALUES (?, ?, ?)",
                    arguments: [row[0] as Data, change.timestamp.packed, Data(p.encoded)])
            }
        }
    }

    /// Every stored policy, as the merge reads them.
    static func districtPolicies(_ db: Database) throws -> [PolicyBook.Entry] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT change, hlc, encoded FROM district_policy")).map { row in
            PolicyBook.Entry(
                policy: try DistrictPolicy.decode(Array(row[2] as Data)), hlc: try HLCTimestamp(packed: row[1]),
                change: try ChangeID(bytes: Array(row[0] as Data)))
        }
    }

    /// The policies this replica holds, over `base` (the built-in Fengnan rules).
    public func policyBook(base: Policy = .fengnan) throws(StoreError) -> PolicyBook {
        try storeCall { try readDB { db in PolicyBook(try Self.districtPolicies(db), base: base) } }
    }

    /// The scope of each child's latest write (by HLC, then op): where it is on the register now,
    /// so today's rules are its district's. A child with no write is absent.
    public func currentScopes(_ children: [RecordID]) throws(StoreError) -> [RecordID: ScopeID] {
        guard !children.isEmpty else { return [:] }
        return try storeCall {
            try readDB { db in
                var out: [RecordID: ScopeID] = [:]
                let statement = try db.cachedStatement(
                    sql: """
                        SELECT c.scope FROM rec_write w JOIN change c ON c.id = substr(w.op, 1, 32)
                        WHERE w.record = ? AND w.kind = 'child' ORDER BY w.hlc DESC, w.op DESC LIMIT 1
                        """)
                for child in Set(children) {
                    if let text = try String.fetchOne(statement, arguments: [child.hex]), let scope = try? ScopeID(text) {
                        out[child] = scope
                    }
                }
                return out
            }
        }
    }
}

extension BatchAppender {
    /// A policy arrived: every child with an absence or leave in its district, ending on or after
    /// its effective date, has its openers derived again (earlier days keep the rules they had).
    mutating func refreshAbsenceOpeners(under policy: DistrictPolicy) throws {
        guard let merge, !views.isRebuilding else { return }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT DISTINCT e.child, c.scope FROM rec_event e JOIN change c ON c.id = substr(e.op, 1, 32)
                WHERE e.kind IN ('absence', 'leave') AND e.child IS NOT NULL AND e.ends >= ?
                """, arguments: [policy.effective.description])
        var children = Set<RecordID>()
        for row in rows {
            guard let scope = try? ScopeID(row[1] as String), policy.district.covers(scope) else { continue }
            children.insert(try RecordID(hex: row[0]))
        }
        for child in children.sorted() { try merge.refreshAbsenceOpeners(child, in: &views) }
    }
}

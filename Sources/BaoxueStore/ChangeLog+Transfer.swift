import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import Foundation
import GRDB

extension ChangeLog {
    /// Hands a transferring child's history to the receiving school (转学, privacy.md §2(b)):
    /// writes, into `scope`, a child grant of the child's content key of every epoch of
    /// `source` this device holds, sealed to the receiving school's current members, the
    /// author and the district authority. Nothing already written is re-encrypted; every
    /// replica then carries the child's old changes with `scope`.
    ///
    /// The author must grant keys in both scopes (a district admin); otherwise the change is
    /// quarantined everywhere, as any change its certificate does not permit.
    @discardableResult
    public func transferChild(
        _ child: RecordID, from source: ScopeID, to scope: ScopeID, by key: DeviceKey, now: UInt64
    ) throws(StoreError) -> Change {
        guard source != scope, source != .admin, scope != .admin else { throw .transfer("the old and the new school must be two schools") }
        let authority = self.authority
        let random = self.random
        return try appendAuthored(by: key, scope: scope, now: now) { db throws(StoreError) in
            try storeCall {
                let epochs = try Data.fetchAll(
                    db, sql: "SELECT key FROM scope_key WHERE scope = ? ORDER BY epoch, id", arguments: [source.value])
                guard !epochs.isEmpty else { throw StoreError.noScopeKey(source) }
                let keys = try epochs.map { try ScopeKey(scope: source, bytes: Array($0)).contentKey(child: child) }
                var recipients = Set(try self.currentMembers(db, scope: scope, at: now))
                recipients.insert(key.publicKey)
                if let authority { recipients.insert(authority) }
                return try ChildGrant.make(source: source, child: child, keys: keys, to: recipients, random: random).encoded
            }
        }
    }

    /// The transfers into `scope` this replica knows of: each source scope and how many
    /// content keys (epochs × children) it carries from there.
    public func carried(into scope: ScopeID) throws(StoreError) -> [ScopeID: Int] {
        try storeCall {
            try readDB { db in
                var out: [ScopeID: Int] = [:]
                for row in try Row.fetchAll(
                    db, sql: "SELECT source, COUNT(*) FROM carry WHERE scope = ? GROUP BY source", arguments: [scope.value])
                {
                    out[try ScopeID(row[0] as String)] = row[1]
                }
                return out
            }
        }
    }
}

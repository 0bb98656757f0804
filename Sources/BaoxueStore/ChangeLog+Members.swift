import BaoxueCore
import Foundation
import GRDB

extension ChangeLog {
    public func members(of scope: ScopeID) throws(StoreError) -> [ScopeMember] {
        try storeCall {
            try writer.read { db in
                var out: [ScopeMember] = []
                let rows = try Row.fetchCursor(db, sql: "SELECT hlc, id FROM change WHERE scope = ? ORDER BY hlc, id", arguments: [scope.value])
                while let row = try rows.next() {
                    let id: Data = row[1]
                    out.append(ScopeMember(timestamp: row[0], id: try ChangeID(bytes: Array(id))))
                }
                return out
            }
        }
    }

    public func encodedChanges(_ ids: [ChangeID]) throws(StoreError) -> [[UInt8]] {
        try storeCall {
            try writer.read { db in
                let statement = try db.cachedStatement(sql: "SELECT bytes FROM change WHERE id = ?")
                return try ids.map { id in
                    guard let bytes = try Data.fetchOne(statement, arguments: [Data(id.bytes)]) else { throw StoreError.changeMissing(id) }
                    return Array(bytes)
                }
            }
        }
    }

    public func scopes() throws(StoreError) -> [ScopeID] {
        try storeCall {
            try writer.read { db in
                try String.fetchAll(db, sql: "SELECT DISTINCT scope FROM change ORDER BY scope").map { try ScopeID($0) }
            }
        }
    }
}

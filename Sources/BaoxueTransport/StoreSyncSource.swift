import BaoxueCore
import BaoxueStore
import BaoxueSync

/// A store seen through the sync session's read interface.
public struct StoreSyncSource: SyncDataSource {
    public let store: any ChangeStore

    public init(_ store: any ChangeStore) { self.store = store }

    public func items(in scope: ScopeID) throws(SyncError) -> ReconciliationSet {
        do {
            return try store.members(of: scope)
        } catch {
            throw .store("\(error)")
        }
    }

    public func encodedChanges(_ ids: [ChangeID]) throws(SyncError) -> [[UInt8]] {
        do { return try store.encodedChanges(ids) } catch { throw .store("\(error)") }
    }
}

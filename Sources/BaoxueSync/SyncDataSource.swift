import BaoxueCore

/// Read access to a replica's changes, as a session needs it: the sorted
/// items of a scope and the bytes of chosen changes. The store implements
/// it over SQLite; tests and the simulator over memory.
public protocol SyncDataSource: Sendable {
    /// Every stored change of `scope` (applied, pending or held), as an indexed sorted set.
    func items(in scope: ScopeID) throws(SyncError) -> ReconciliationSet
    /// The encoded changes with these ids, in the same order; a missing id is an error.
    func encodedChanges(_ ids: [ChangeID]) throws(SyncError) -> [[UInt8]]
    /// True for a source whose bytes come later (a database across the network): the session then asks
    /// its driver with `SyncOutput.load` instead of calling `encodedChanges`, and goes on at `loaded`.
    var loadsLater: Bool { get }
}

extension SyncDataSource {
    public var loadsLater: Bool { false }
}

/// A fixed set of changes held in memory.
public struct InMemorySyncSource: SyncDataSource {
    private let byScope: [ScopeID: ReconciliationSet]
    private let bytes: [ChangeID: [UInt8]]

    public init(_ changes: [Change]) {
        var byScope: [ScopeID: [SyncItem]] = [:]
        var bytes: [ChangeID: [UInt8]] = [:]
        for c in changes where bytes[c.id] == nil {
            byScope[c.scope, default: []].append(SyncItem(change: c))
            bytes[c.id] = c.encoded
        }
        self.byScope = byScope.mapValues { ReconciliationSet($0) }
        self.bytes = bytes
    }

    public func items(in scope: ScopeID) throws(SyncError) -> ReconciliationSet { byScope[scope] ?? ReconciliationSet() }

    public func encodedChanges(_ ids: [ChangeID]) throws(SyncError) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for id in ids {
            guard let b = bytes[id] else { throw .store("change \(id.short) not held") }
            out.append(b)
        }
        return out
    }
}

import BaoxueCore
import BaoxueRecords
import BaoxueStore

/// A photo a child's records cite (a visit's, a close-out's evidence) that this device holds whole,
/// for a screen to show (`ChildFile.photos` lists them): only a file the child's own records cite,
/// so an address naming another file shows nothing.
public struct ChildPhoto: Sendable, Equatable {
    /// The file's id: BLAKE2b-256 of its bytes, in hex.
    public let id: String
    public let name: String
    public let bytes: [UInt8]
}

extension ReplicaCommands {
    /// One photo of `child` by its whole id; nil when the child's records do not cite it or it is not here.
    static func childPhoto(_ replica: Replica, child: String, id: String) throws(AppError) -> ChildPhoto? {
        let log = replica.log
        let child = try resolveChild(log, child)
        let events = try attempt { () throws(StoreError) in try log.events(child: child) + log.cases(child: child).flatMap(\.events) }
        let closeOuts = try attempt { () throws(StoreError) in try log.closeOutEvidence(child: child) }
        let whole = try citedAttachments(log, events: events, closeOuts: closeOuts).filter(\.state.complete).map(\.id)
        guard id.count == 64, whole.contains(id.lowercased()) else { return nil }
        guard let found = try attempt({ () throws(StoreError) in try replica.log.attachment(prefix: id) }) else { return nil }
        return ChildPhoto(id: Hex.encode(found.id), name: found.name, bytes: found.bytes)
    }
}

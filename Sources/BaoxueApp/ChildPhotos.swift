import BaoxueCore
import BaoxueRecords
import BaoxueStore

/// The photos a child's records cite (a visit's, a close-out's evidence) that this device holds
/// whole, for a screen to show: only files the child's own records cite, so an address naming
/// another file shows nothing.
public struct ChildPhoto: Sendable, Equatable {
    /// The file's id: BLAKE2b-256 of its bytes, in hex.
    public let id: String
    public let name: String
    public let bytes: [UInt8]
}

extension ReplicaCommands {
    /// The ids of the complete attachments `child`'s records cite, oldest first.
    static func childPhotoIDs(_ replica: Replica, child: String) throws(AppError) -> [String] {
        let log = replica.log
        let id = try resolveChild(log, child)
        let events = try attempt { () throws(StoreError) in try log.events(child: id) + log.cases(child: id).flatMap(\.events) }
        var cited: [String] = []
        for row in events where !row.voided {
            if case .visit(let v) = row.event.body { cited += v.evidence.filter { !cited.contains($0) } }
        }
        cited += try attempt { () throws(StoreError) in try log.closeOutEvidence(child: id) }.filter { !cited.contains($0) }
        var whole: [String] = []
        for hex in cited where try attempt({ () throws(StoreError) in try log.attachmentState((try? Hex.decode(hex)) ?? []) }).complete {
            whole.append(hex)
        }
        return whole
    }

    /// One photo of `child` by its whole id; nil when the child's records do not cite it or it is not here.
    static func childPhoto(_ replica: Replica, child: String, id: String) throws(AppError) -> ChildPhoto? {
        guard id.count == 64, try childPhotoIDs(replica, child: child).contains(id.lowercased()) else { return nil }
        guard let found = try attempt({ () throws(StoreError) in try replica.log.attachment(prefix: id) }) else { return nil }
        return ChildPhoto(id: Hex.encode(found.id), name: found.name, bytes: found.bytes)
    }
}

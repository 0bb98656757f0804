import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import Foundation
import GRDB

/// Where an attachment stands on this device: how many of its parts are here and readable.
public struct AttachmentState: Sendable, Equatable {
    public let held: Int
    public let count: Int
    public var complete: Bool { count > 0 && held == count }

    public init(held: Int, count: Int) {
        self.held = held
        self.count = count
    }
}

extension ChangeLog {
    /// How many parts of attachment `id` (BLAKE2b-256 of the file) this device holds opened, of how many.
    /// `count` is 0 when none has arrived (or none opens here).
    public func attachmentState(_ id: [UInt8]) throws(StoreError) -> AttachmentState {
        try storeCall {
            try readDB { db in
                let row = try Row.fetchOne(
                    db, sql: "SELECT COUNT(*), MAX(count) FROM attachment_part WHERE attachment = ?", arguments: [Data(id)])
                return AttachmentState(held: row?[0] ?? 0, count: row?[1] ?? 0)
            }
        }
    }

    /// The evidence files the close-outs (销号) of `child` cite, as hex ids, oldest first.
    public func closeOutEvidence(child: RecordID) throws(StoreError) -> [String] {
        try storeCall {
            try readDB { db in
                try String.fetchAll(db, sql: "SELECT evidence FROM rec_closeout WHERE child = ? ORDER BY hlc", arguments: [child.hex])
                    .flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
            }
        }
    }

    /// The attachment whose id starts with `prefix` (hex, at least 8 digits), opened and checked
    /// against its id; nil when no part of it is here. Throws when it is incomplete or altered.
    public func attachment(prefix: String) throws(StoreError) -> (id: [UInt8], name: String, bytes: [UInt8])? {
        let lower = prefix.lowercased()
        guard lower.count >= 8, lower.count <= 64, lower.allSatisfy(\.isHexDigit) else { throw .privacy(.malformed("attachment id")) }
        return try storeCall {
            try readDB { db in
                let ids = try Data.fetchAll(db, sql: "SELECT DISTINCT attachment FROM attachment_part").filter {
                    Hex.encode(Array($0)).hasPrefix(lower)
                }
                guard ids.count <= 1 else { throw StoreError.privacy(.malformed("attachment id \(prefix) is not unique")) }
                guard let id = ids.first else { return nil }
                var keys = KeyRing(db: db, secrets: secrets, reader: reader, learns: false)
                var parts: [AttachmentPart] = []
                for bytes in try Data.fetchAll(
                    db,
                    sql: "SELECT c.bytes FROM attachment_part p JOIN change c ON c.id = p.change WHERE p.attachment = ? ORDER BY p.part",
                    arguments: [id])
                {
                    if case .attachmentPart(let part) = try keys.route(try Change.decodeStructure(Array(bytes))) { parts.append(part) }
                }
                let file = try AttachmentPart.assemble(parts)
                return (Array(id), file.name, file.bytes)
            }
        }
    }
}

import BaoxueCore
import BaoxueStore
import Foundation

/// `baoxue attachment export`: where the file went.
public struct AttachmentExportView: Codable, Equatable, Sendable {
    public let attachment: String
    public let path: String
    public let bytes: Int

    public func text(_ l: Language) -> String {
        l.say(TrustMessages.attachmentWrittenToBytesIt, attachment.prefix(16), path, bytes)
    }
}

extension ReplicaCommands {
    /// Opens attachment `id` (a prefix of its hex id) from the parts in the log and writes it to `path`
    /// (default: its own name in the current folder), 0600, never over an existing file.
    public static func exportAttachment(directory: String, id: String, to path: String?) throws(AppError) -> AttachmentExportView {
        let replica = try open(directory)
        guard let found = try attempt({ () throws(StoreError) in try replica.log.attachment(prefix: id) }) else {
            throw .invalidArgument(option: "ID", value: id)
        }
        let target = path ?? (found.name.isEmpty ? Hex.encode(found.id) : found.name)
        guard !FileManager.default.fileExists(atPath: target) else { throw .store(.io(path: target, errno: EEXIST)) }
        guard FileManager.default.createFile(atPath: target, contents: Data(found.bytes), attributes: [.posixPermissions: 0o600]) else {
            throw .store(.io(path: target, errno: errno))
        }
        return AttachmentExportView(attachment: Hex.encode(found.id), path: target, bytes: found.bytes.count)
    }
}

import BaoxueCore
import BaoxueSodium
import Foundation

/// Uploaded files kept just long enough for a record to read them: a fresh 0700 folder under the
/// replica's own folder, one 0600 file per upload under its cleaned name (in a numbered folder of its own), removed when the request ends.
///
/// Invariant: nothing is written outside the folder (names are cleaned of every path component by
/// `MultipartBody.safeName`), and the folder is gone after `remove()` whatever happened.
struct UploadFolder {
    let path: String

    init(in directory: String) {
        path = directory + "/.upload-" + Hex.encode(Sodium.randomBytes(8))
    }

    /// Writes each file; returns their paths by form field, or nil when the disk refused.
    func save(_ files: [(field: String, file: MultipartBody.File)]) -> [String: [String]]? {
        guard !files.isEmpty else { return [:] }
        guard
            (try? FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700]))
                != nil
        else { return nil }
        var saved: [String: [String]] = [:]
        for (n, (field, file)) in files.enumerated() {
            // One folder per file, so the record keeps the name it was sent with.
            let folder = path + "/\(n)"
            let target = folder + "/" + file.name
            guard
                (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)) != nil,
                FileManager.default.createFile(atPath: target, contents: Data(file.bytes), attributes: [.posixPermissions: 0o600])
            else { return nil }
            saved[field, default: []].append(target)
        }
        return saved
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

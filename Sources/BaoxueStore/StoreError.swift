import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords

/// Everything the storage layer refuses or fails at, each case naming its cause.
public enum StoreError: Error, Equatable, Sendable {
    /// A key file already exists where a new one was to be created.
    case keyFileExists(path: String)
    /// No key file at the path.
    case keyFileMissing(path: String)
    /// The key file can be read or written by group or others (mode shown in octal).
    case keyFileTooOpen(path: String, mode: String)
    /// The key file belongs to another user.
    case keyFileNotOwned(path: String)
    /// The key file's content is not a Baoxue device key.
    case keyFileMalformed(path: String)
    /// A replica folder already holds a replica.
    case replicaExists(path: String)
    /// The folder holds no replica.
    case replicaMissing(path: String)
    /// Change number `index` of a batch failed to decode or verify; nothing was stored.
    case invalidChange(index: Int, CoreError)
    /// Operations a device tried to write break a record rule; nothing was written.
    case invalidRecord(RecordsError)
    /// The author's sequence number ran out (never happens in practice).
    case sequenceExhausted
    /// The passphrase does not open the authority key file (or the file was altered).
    case wrongPassphrase(path: String)
    /// A passphrase for a new authority key or a device lock is one an attacker would guess (`PassphraseRule`).
    case weakPassphrase
    /// A passphrase shorter than the rule's minimum.
    case passphraseTooShort(minimum: Int, actual: Int)
    /// The passphrase does not open this locked device.
    case wrongUnlockPassphrase(path: String)
    /// A log opened with `durable: false` was asked to store changes a peer will be told are safe.
    case notDurable
    /// A change asked for by id is not in the log.
    case changeMissing(ChangeID)
    /// The scope's record changes are encrypted and this device holds none of its keys: a school or
    /// district admin must grant them (`baoxue keys grant`) before this device can write there.
    case noScopeKey(ScopeID)
    /// An encrypted payload or key grant could not be made or read.
    case privacy(PrivacyError)
    /// A transfer that cannot be written as asked (the reason says why).
    case transfer(String)
    /// The replica is locked (`baoxue lock`): its keys are sealed under the user's passphrase.
    case locked(path: String)
    /// A file-system call failed.
    case io(path: String, errno: Int32)
    /// The database would grow past its quota (`maxDatabaseBytes`: main file, WAL and shared
    /// memory together); nothing was written. Reads go on.
    case overQuota(bytes: Int64, quota: Int64)
    /// An earlier batch of the same session was not stored, so this one was not either.
    case earlierBatchFailed
    /// A change built inside its transaction turned out to have nothing to write (another
    /// writer did it first); nothing was signed.
    case nothingToWrite
    /// SQLite reported an error (result code and message).
    case database(code: Int32, message: String)
}

extension StoreError {
    /// Nothing was written for want of room: the disk is full (SQLITE_FULL) or the quota is reached.
    public var isDiskFull: Bool {
        switch self {
        case .overQuota: true
        case .database(let code, _): code & 0xFF == 13
        default: false
        }
    }
}

import BaoxueCore
import BaoxueLog

/// Why the log on PostgreSQL refused or could not finish an operation.
public enum PostgresLogError: Error, Sendable, Equatable {
    /// Stored bytes that are not a change (or not under their id): the database was written by
    /// something other than this code.
    case corruptRow(String)
    /// The schema in the database is newer than this program.
    case schemaTooNew(found: Int, known: Int)
    /// Another process committed a conflicting batch first, every one of `attempts` times.
    case contended(attempts: Int)
    /// The database refused the batch (full, read-only, gone), with its SQLSTATE and message.
    case database(sqlState: String, message: String)
    /// The witness's next seq was taken meanwhile (two processes signing with one key): the batch reruns.
    case witnessSeqTaken(seq: UInt64)
    /// The database could not be reached (down, restarting, connection lost): nothing was stored.
    case unavailable(String)
    /// A connection URL that cannot be used, and why.
    case invalidAddress(String)
    /// A change asked for is not stored.
    case changeMissing(ChangeID)
    /// The rules' snapshot run failed (a bug in a fetcher, never bad input).
    case snapshot(LogSnapshotError)
}

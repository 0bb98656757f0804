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
    /// The rules' snapshot run failed (a bug in a fetcher, never bad input).
    case snapshot(LogSnapshotError)
}

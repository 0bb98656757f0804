/// A shared log's figures at one moment (`PostgresLog.figures`): what a cluster process reports on
/// `/health` and `/metrics`.
public struct PostgresLogFigures: Sendable, Equatable {
    public let changes: Int
    public let quarantined: Int
    public let pending: Int
    /// Authors held for signing two changes with one seq.
    public let heldAuthors: Int
    /// `pg_database_size`: the whole database, indexes and the operators' tables included.
    public let databaseBytes: Int64

    public init(changes: Int, quarantined: Int, pending: Int, heldAuthors: Int, databaseBytes: Int64) {
        self.changes = changes
        self.quarantined = quarantined
        self.pending = pending
        self.heldAuthors = heldAuthors
        self.databaseBytes = databaseBytes
    }
}

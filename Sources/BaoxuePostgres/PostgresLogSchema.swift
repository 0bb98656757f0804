import BaoxueLog

/// The log's tables in PostgreSQL (docs/postgres.md describes each column for operators).
///
/// The same facts as a replica's SQLite `change`, `author`, `waiting` and `quarantine` tables,
/// under names an operator can tell apart in a shared database. States are `ChangeState`'s
/// integers; a CHECK keeps anything else out. Created idempotently under an advisory lock, so
/// several relay processes starting at once create it once.
enum PostgresLogSchema {
    static let version = 1
    /// The advisory lock every relay process takes to create or upgrade the schema.
    static let migrationLock: Int64 = 0x6261_6f78_7565_0001

    static var statements: [String] {
        let states = ChangeState.allCases.map(\.sql).joined(separator: ", ")
        return [
            """
            CREATE TABLE IF NOT EXISTS log_change (
                position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id bytea NOT NULL UNIQUE CHECK (length(id) = 32),
                author bytea NOT NULL CHECK (length(author) = 32),
                seq bigint NOT NULL CHECK (seq > 0),
                hlc bigint NOT NULL,
                scope text NOT NULL,
                state smallint NOT NULL CHECK (state IN (\(states))),
                bytes bytea NOT NULL,
                stored_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX IF NOT EXISTS log_change_author_seq ON log_change (author, seq)",
            "CREATE INDEX IF NOT EXISTS log_change_pending ON log_change (position) WHERE state = \(ChangeState.pending.sql)",
            "CREATE TABLE IF NOT EXISTS log_author (key bytea PRIMARY KEY CHECK (length(key) = 32), held_from bigint)",
            """
            CREATE TABLE IF NOT EXISTS log_waiting (
                dep bytea NOT NULL,
                position bigint NOT NULL REFERENCES log_change (position),
                PRIMARY KEY (dep, position)
            )
            """,
            "CREATE INDEX IF NOT EXISTS log_waiting_position ON log_waiting (position)",
            """
            CREATE TABLE IF NOT EXISTS log_quarantine (
                position bigint PRIMARY KEY REFERENCES log_change (position),
                reason text NOT NULL
            )
            """,
            "CREATE TABLE IF NOT EXISTS log_schema (version integer NOT NULL)",
        ]
    }
}

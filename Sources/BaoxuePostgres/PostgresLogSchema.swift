import BaoxueCore
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
                stored_at timestamptz NOT NULL DEFAULT now(),
                txid xid8 NOT NULL DEFAULT pg_current_xact_id()
            )
            """,
            // Readers that keep a copy (PostgresScopeSets) catch up by transaction, not by position:
            // positions are handed out at insert, so a lower one can commit after a higher one.
            "CREATE INDEX IF NOT EXISTS log_change_txid ON log_change (txid)",
            "CREATE INDEX IF NOT EXISTS log_change_author_seq ON log_change (author, seq)",
            "CREATE INDEX IF NOT EXISTS log_change_pending ON log_change (position) WHERE state = \(ChangeState.pending.sql)",
            // The operator's page reads the applied `_admin` changes (published figures) at every view.
            "CREATE INDEX IF NOT EXISTS log_change_admin ON log_change (position) WHERE scope = '\(ScopeID.admin.value)'",
            "CREATE TABLE IF NOT EXISTS log_author (key bytea PRIMARY KEY CHECK (length(key) = 32), held_from bigint)",
            """
            CREATE TABLE IF NOT EXISTS log_waiting (
                dep bytea NOT NULL,
                position bigint NOT NULL REFERENCES log_change (position),
                PRIMARY KEY (dep, position)
            )
            """,
            "CREATE INDEX IF NOT EXISTS log_waiting_position ON log_waiting (position)",
            // Who cites each id among its deps: an equivocation takes back what depended on a change it
            // un-applies (changes.md §8). Written with the change; no foreign key (the same statement group).
            """
            CREATE TABLE IF NOT EXISTS log_dep (
                dep bytea NOT NULL,
                position bigint NOT NULL,
                PRIMARY KEY (dep, position)
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS log_quarantine (
                position bigint PRIMARY KEY REFERENCES log_change (position),
                reason text NOT NULL
            )
            """,
            // Which relay witnessed which change first, and when (its receipt's HLC milliseconds);
            // written in the transaction that stored the change and its receipt.
            """
            CREATE TABLE IF NOT EXISTS log_witness (
                change bytea PRIMARY KEY CHECK (length(change) = 32),
                relay bytea NOT NULL CHECK (length(relay) = 32),
                receipt bytea NOT NULL,
                at bigint NOT NULL
            )
            """,
            // Each relay process's sessions, a row per session once it ends (metadata only).
            """
            CREATE TABLE IF NOT EXISTS relay_session (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                relay bytea NOT NULL,
                device bytea,
                address text NOT NULL,
                ended_at timestamptz NOT NULL DEFAULT now(),
                duration_ms bigint NOT NULL,
                received integer NOT NULL,
                sent integer NOT NULL,
                outcome text NOT NULL,
                seen_below xid8
            )
            """,
            "CREATE INDEX IF NOT EXISTS relay_session_device ON relay_session (device, ended_at)",
            // The enrollment desk every process of a cluster answers from (PostgresDesk): requests and decisions,
            // outside the log (never reconciled or served), as a SQLite relay's `enrollment_desk`.
            """
            CREATE TABLE IF NOT EXISTS relay_enrollment_desk (
                subject bytea PRIMARY KEY CHECK (length(subject) = 32),
                request bytea NOT NULL,
                received_at bigint NOT NULL,
                decision bytea,
                decided_at bigint
            )
            """,
            // What the trust gate learnt from applied `_admin` changes (PostgresTrust). `epoch` says which
            // learning transaction wrote a row; `log_trust_epoch` holds the latest, read by every gated append.
            "CREATE TABLE IF NOT EXISTS log_trust_epoch (one boolean PRIMARY KEY DEFAULT true CHECK (one), epoch bigint NOT NULL)",
            "INSERT INTO log_trust_epoch (one, epoch) VALUES (true, 0) ON CONFLICT DO NOTHING",
            """
            CREATE TABLE IF NOT EXISTS log_certificate (
                encoded bytea PRIMARY KEY, subject bytea NOT NULL CHECK (length(subject) = 32), may_issue boolean NOT NULL,
                epoch bigint NOT NULL
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS log_revocation (
                encoded bytea PRIMARY KEY, subject bytea NOT NULL CHECK (length(subject) = 32), revoked_at bigint NOT NULL,
                change bytea NOT NULL CHECK (length(change) = 32), epoch bigint NOT NULL
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS log_ruling (
                target bytea NOT NULL CHECK (length(target) = 32), kind smallint NOT NULL,
                change bytea NOT NULL CHECK (length(change) = 32), epoch bigint NOT NULL, PRIMARY KEY (target, kind)
            )
            """,
            "CREATE TABLE IF NOT EXISTS log_schema (version integer NOT NULL)",
        ] + operatorViews
    }

    /// What an operator may query (docs/postgres.md): metadata a relay sees anyway, never a
    /// change's bytes. Ids and keys in hex, as `baoxue` prints them.
    static var operatorViews: [String] {
        let applied = ChangeState.applied.sql
        let pending = ChangeState.pending.sql
        let held = ChangeState.held.sql
        let quarantined = ChangeState.quarantined.sql
        return [
            """
            CREATE OR REPLACE VIEW baoxue_scopes AS
            SELECT scope, count(*) AS changes,
                   count(*) FILTER (WHERE state = \(applied)) AS applied,
                   count(*) FILTER (WHERE state = \(pending)) AS pending,
                   count(*) FILTER (WHERE state = \(held)) AS held,
                   count(*) FILTER (WHERE state = \(quarantined)) AS quarantined,
                   max(stored_at) AS last_stored_at
            FROM log_change GROUP BY scope
            """,
            """
            CREATE OR REPLACE VIEW baoxue_pending AS
            SELECT c.position, encode(c.id, 'hex') AS change_id, encode(c.author, 'hex') AS author, c.seq, c.scope,
                   (SELECT count(*) FROM log_waiting w WHERE w.position = c.position) AS missing_deps, c.stored_at
            FROM log_change c WHERE c.state = \(pending)
            """,
            """
            CREATE OR REPLACE VIEW baoxue_held_authors AS
            SELECT encode(a.key, 'hex') AS author, a.held_from,
                   (SELECT count(*) FROM log_change c WHERE c.author = a.key AND c.state = \(held)) AS held_changes
            FROM log_author a WHERE a.held_from IS NOT NULL
            """,
            """
            CREATE OR REPLACE VIEW baoxue_quarantine AS
            SELECT c.position, encode(c.id, 'hex') AS change_id, encode(c.author, 'hex') AS author, c.seq, c.scope,
                   q.reason, c.stored_at
            FROM log_change c JOIN log_quarantine q ON q.position = c.position WHERE c.state = \(quarantined)
            """,
            """
            CREATE OR REPLACE VIEW baoxue_receipts AS
            SELECT encode(w.change, 'hex') AS change_id, encode(w.relay, 'hex') AS relay, encode(w.receipt, 'hex') AS receipt_id,
                   to_timestamp(w.at / 1000.0) AS witnessed_at
            FROM log_witness w
            """,
            """
            CREATE OR REPLACE VIEW baoxue_sessions AS
            SELECT s.id, encode(s.relay, 'hex') AS relay, encode(s.device, 'hex') AS device, s.address, s.ended_at,
                   s.duration_ms, s.received, s.sent, s.outcome
            FROM relay_session s
            """,
            """
            CREATE OR REPLACE VIEW baoxue_devices AS
            SELECT encode(s.device, 'hex') AS device, count(*) AS sessions, max(s.ended_at) AS last_seen,
                   sum(s.received) AS changes_received, sum(s.sent) AS changes_sent,
                   count(*) FILTER (WHERE s.outcome <> 'ok') AS failed_sessions
            FROM relay_session s WHERE s.device IS NOT NULL GROUP BY s.device
            """,
        ]
    }
}

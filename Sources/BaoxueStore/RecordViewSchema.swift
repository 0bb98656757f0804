import GRDB

/// Tables derived from the change log by the merge engine. All of them can
/// be dropped and re-derived (`baoxue rebuild`); none exposes a local
/// arrival position, so replicas with the same applied changes hold
/// byte-identical rows. Tables with large rows keep SQLite's hidden rowid
/// (local insertion order, never selected) and a UNIQUE op column: new rows
/// then append to the table instead of landing at random places in it.
enum RecordViewSchema {
    /// The view tables, each with the columns that order it for digests.
    static let tables: [(name: String, order: String)] = [
        ("rec_write", "op"), ("rec_superseded", "op, by_op"), ("rec_element", "tag"), ("rec_removed", "tag, by_op"),
        ("rec_event", "op"), ("rec_void", "target, op"), ("rec_opener", "op"), ("rec_closed", "opener, by_op"),
        ("rec_closeout", "op"), ("rec_rejected", "op"), ("child_view", "child"),
    ]

    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-record-views") { db in
            try db.execute(
                sql: """
                    CREATE TABLE rec_write (
                        op BLOB NOT NULL UNIQUE, kind TEXT NOT NULL, record TEXT NOT NULL, field TEXT NOT NULL,
                        value TEXT NOT NULL, hlc INTEGER NOT NULL, author BLOB NOT NULL, live INTEGER NOT NULL
                    );
                    CREATE INDEX rec_write_live ON rec_write(record, field) WHERE live = 1;
                    CREATE TABLE rec_superseded (op BLOB NOT NULL, by_op BLOB NOT NULL, PRIMARY KEY (op, by_op)) WITHOUT ROWID;
                    CREATE TABLE rec_element (
                        tag BLOB NOT NULL UNIQUE, kind TEXT NOT NULL, record TEXT NOT NULL, set_name TEXT NOT NULL,
                        element TEXT NOT NULL, live INTEGER NOT NULL
                    );
                    CREATE INDEX rec_element_set ON rec_element(record, set_name) WHERE live = 1;
                    CREATE TABLE rec_removed (tag BLOB NOT NULL, by_op BLOB NOT NULL, PRIMARY KEY (tag, by_op)) WITHOUT ROWID;
                    CREATE TABLE rec_event (
                        op BLOB NOT NULL UNIQUE, kind TEXT NOT NULL, child TEXT, subject TEXT, date TEXT NOT NULL,
                        body TEXT NOT NULL, amends BLOB, hlc INTEGER NOT NULL, author BLOB NOT NULL
                    );
                    CREATE TABLE rec_void (
                        target BLOB NOT NULL, op BLOB NOT NULL, reason TEXT NOT NULL, hlc INTEGER NOT NULL, author BLOB NOT NULL,
                        PRIMARY KEY (target, op)
                    ) WITHOUT ROWID;
                    CREATE TABLE rec_opener (
                        op BLOB PRIMARY KEY, ledger TEXT NOT NULL, child TEXT NOT NULL, date TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX rec_opener_child ON rec_opener(child, ledger);
                    CREATE TABLE rec_closed (opener BLOB NOT NULL, by_op BLOB NOT NULL, PRIMARY KEY (opener, by_op)) WITHOUT ROWID;
                    CREATE TABLE rec_closeout (
                        op BLOB NOT NULL UNIQUE, child TEXT NOT NULL, ledger TEXT NOT NULL, evidence TEXT NOT NULL,
                        note TEXT NOT NULL, hlc INTEGER NOT NULL, author BLOB NOT NULL
                    );
                    CREATE TABLE rec_rejected (op BLOB NOT NULL UNIQUE, reason TEXT NOT NULL, hlc INTEGER NOT NULL, author BLOB NOT NULL);
                    CREATE TABLE child_view (
                        child TEXT NOT NULL UNIQUE, name TEXT, gender TEXT, birth_date TEXT, id_number TEXT, student_number TEXT,
                        hukou_place TEXT, residence TEXT, guardian_name TEXT, guardian_phone TEXT, school TEXT, grade INTEGER,
                        class_name TEXT, village TEXT, status TEXT, status_date TEXT, status_reason TEXT, status_author TEXT,
                        conflicts TEXT NOT NULL, focus TEXT NOT NULL, voided TEXT
                    );
                    CREATE VIEW ledger_entry AS
                        SELECT o.ledger AS ledger, o.child AS child, MIN(o.date) AS since, COUNT(*) AS openers
                        FROM rec_opener o
                        WHERE NOT EXISTS (SELECT 1 FROM rec_closed c WHERE c.opener = o.op)
                        GROUP BY o.ledger, o.child;
                    """)
            for index in firstLookupIndexes { try db.execute(sql: index) }
        }
        migrator.registerMigration("v9-event-amends") { db in
            // Queries skip an event that a live amendment replaces (销假 amends a leave).
            for index in firstLookupIndexes { try db.execute(sql: index) }
        }
    }

    /// Protocol v2 (payload format 2): registered after the change log's v11.
    static func registerPayloadFormat2(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v12-payload-format-2") { db in
            // Events are kept as their format-2 bytes (read back by the payload's strict reader), with
            // the figures queries use in columns of their own; format-1 JSON bodies go with the format.
            try db.execute(
                sql: """
                    DROP TABLE rec_event;
                    CREATE TABLE rec_event (
                        op BLOB NOT NULL UNIQUE, kind TEXT NOT NULL, child TEXT, subject TEXT, date TEXT NOT NULL,
                        starts TEXT, ends TEXT, amount INTEGER, code TEXT,
                        body BLOB NOT NULL, amends BLOB, hlc INTEGER NOT NULL, author BLOB NOT NULL
                    );
                    """)
            for index in firstLookupIndexes { try db.execute(sql: index) }
        }
        migrator.registerMigration("v13-field-seeks") { db in
            // A field's shown write and whether another live value exists, each one index seek (records.md §3).
            try db.execute(
                sql: """
                    DROP INDEX rec_write_live;
                    CREATE INDEX rec_write_shown ON rec_write(record, field, hlc, author, op) WHERE live = 1;
                    CREATE INDEX rec_write_value ON rec_write(record, field, value) WHERE live = 1;
                    """)
        }
    }

    /// Void undoes and registry defaults (records.md §3): registered after the change log's v14.
    static func registerVoidUndoes(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v15-void-undoes") { db in
            // Voiding a write or a remove brings back what it superseded or removed (records.md §3):
            // the merge engine walks these relations backwards. Views made before are re-derived by `rebuild`.
            try db.execute(
                sql: """
                    CREATE INDEX rec_superseded_by ON rec_superseded(by_op);
                    CREATE INDEX rec_removed_by ON rec_removed(by_op);
                    """)
        }
        migrator.registerMigration("v16-registry-defaults") { db in
            // rank 1: a person's write; 0: a registry default, shown only while no person's write is live
            // (records.md §3). The field seeks order by it first.
            try db.execute(
                sql: """
                    ALTER TABLE rec_write ADD COLUMN rank INTEGER NOT NULL DEFAULT 1;
                    DROP INDEX rec_write_shown;
                    DROP INDEX rec_write_value;
                    CREATE INDEX rec_write_shown ON rec_write(record, field, rank, hlc, author, op) WHERE live = 1;
                    CREATE INDEX rec_write_value ON rec_write(record, field, rank, value) WHERE live = 1;
                    """)
        }
        migrator.registerMigration("v18-provisional-children") { db in
            // A child found without papers, and the registry child it was merged into (records.md §3.3).
            try db.execute(
                sql: """
                    ALTER TABLE child_view ADD COLUMN provisional TEXT;
                    ALTER TABLE child_view ADD COLUMN merged_into TEXT;
                    """)
        }
    }

    /// Indexes only queries use (the merge engine never reads through them):
    /// a rebuild drops them first and creates them again at the end, which
    /// is faster than keeping them current row by row.
    static let lookupIndexes =
        firstLookupIndexes.filter { !$0.contains(" rec_event_subject ON ") } + [
            // Only events that name a case or survey (v26; the first index held a NULL for every other event).
            "CREATE INDEX IF NOT EXISTS rec_event_subject_set ON rec_event(subject, kind, date) WHERE subject IS NOT NULL",
            // The field app's pages on a district (issue 23): a record's first write and status history,
            // a child's cases, merged and conflicting children, leaves still running, children by status.
            "CREATE INDEX IF NOT EXISTS rec_write_record ON rec_write(record, hlc, op)",
            "CREATE INDEX IF NOT EXISTS rec_write_case_child ON rec_write(value) WHERE kind = 'caseFile' AND field = 'child'",
            "CREATE INDEX IF NOT EXISTS child_view_merged ON child_view(merged_into) WHERE merged_into IS NOT NULL",
            "CREATE INDEX IF NOT EXISTS child_view_conflicts ON child_view(name, child) WHERE conflicts <> ''",
            "CREATE INDEX IF NOT EXISTS child_view_status ON child_view(status)",
            "CREATE INDEX IF NOT EXISTS rec_event_leave_ends ON rec_event(ends) WHERE kind = 'leave'",
            "CREATE INDEX IF NOT EXISTS rec_write_survey ON rec_write(record) WHERE kind = 'survey' AND field = 'village'",
        ]

    /// The lookup indexes as the migrations before v23 created them (on the columns they had then).
    static let firstLookupIndexes = [
        "CREATE INDEX IF NOT EXISTS rec_event_child ON rec_event(child, kind, date)",
        "CREATE INDEX IF NOT EXISTS rec_event_subject ON rec_event(subject, kind, date)",
        "CREATE INDEX IF NOT EXISTS rec_closeout_child ON rec_closeout(child)",
        "CREATE INDEX IF NOT EXISTS rec_event_amends ON rec_event(amends) WHERE amends IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS child_view_school ON child_view(school, name)",
        "CREATE INDEX IF NOT EXISTS child_view_name ON child_view(name)",
        "CREATE INDEX IF NOT EXISTS child_view_id_number ON child_view(id_number)",
    ]

    /// The indexes that resolve a field or a set (records.md §3), as the latest migrations left them.
    /// Only a child's displayed row reads through them, which a rebuild derives once at its end:
    /// it drops them first and sorts them in one pass there instead of inserting row by row.
    static let resolutionIndexes = [
        "CREATE INDEX IF NOT EXISTS rec_write_shown ON rec_write(record, field, rank, hlc, author, op) WHERE live = 1",
        "CREATE INDEX IF NOT EXISTS rec_write_value ON rec_write(record, field, rank, value) WHERE live = 1",
        "CREATE INDEX IF NOT EXISTS rec_element_set ON rec_element(record, set_name) WHERE live = 1",
    ]

    static var resolutionIndexNames: [String] {
        resolutionIndexes.map { $0.split(separator: " ")[5].description }
    }

    static var lookupIndexNames: [String] {
        lookupIndexes.map { $0.split(separator: " ")[5].description }
    }
}

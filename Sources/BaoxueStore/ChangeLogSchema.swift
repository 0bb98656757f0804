import BaoxueCore
import BaoxueTrust
import Foundation
import GRDB

/// The SQLite schema of the change log. The log is the truth; every other
/// table a later layer adds is derived from it and can be rebuilt.
enum ChangeLogSchema {
    static func migrator() -> DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-change-log") { db in
            try db.execute(
                sql: """
                    CREATE TABLE change (
                        position INTEGER PRIMARY KEY,
                        id BLOB NOT NULL UNIQUE,
                        author BLOB NOT NULL,
                        seq INTEGER NOT NULL,
                        hlc INTEGER NOT NULL,
                        scope TEXT NOT NULL,
                        state INTEGER NOT NULL,
                        bytes BLOB NOT NULL
                    );
                    CREATE INDEX change_author_seq ON change(author, seq);
                    CREATE INDEX change_not_applied ON change(state) WHERE state <> 0;
                    CREATE TABLE clock (latest INTEGER NOT NULL);
                    INSERT INTO clock (latest) VALUES (-1);
                    CREATE TABLE waiting (
                        dep BLOB NOT NULL,
                        position INTEGER NOT NULL,
                        PRIMARY KEY (dep, position)
                    ) WITHOUT ROWID;
                    CREATE INDEX waiting_position ON waiting(position);
                    CREATE TABLE head (id BLOB PRIMARY KEY) WITHOUT ROWID;
                    CREATE TABLE author (
                        key BLOB PRIMARY KEY,
                        applied_seq INTEGER NOT NULL,
                        held_from INTEGER
                    ) WITHOUT ROWID;
                    CREATE TABLE equivocation (
                        author BLOB NOT NULL,
                        seq INTEGER NOT NULL,
                        first BLOB NOT NULL,
                        second BLOB NOT NULL,
                        PRIMARY KEY (author, seq, second)
                    ) WITHOUT ROWID;
                    """)
        }
        RecordViewSchema.register(in: &m)
        m.registerMigration("v2-scope-order") { db in
            // Sync reads a scope's changes in (hlc, id) order.
            try db.execute(sql: "CREATE INDEX change_scope_order ON change(scope, hlc, id)")
        }
        m.registerMigration("v3-trust") { db in
            // Certificates learnt from applied `_admin` changes, and why each quarantined change waits.
            try db.execute(
                sql: """
                    CREATE TABLE certificate (
                        encoded BLOB PRIMARY KEY,
                        subject BLOB NOT NULL,
                        may_issue INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX certificate_subject ON certificate(subject);
                    CREATE TABLE quarantine (
                        position INTEGER PRIMARY KEY,
                        reason TEXT NOT NULL
                    );
                    """)
        }
        m.registerMigration("v4-revocation") { db in
            try db.execute(
                sql: """
                    CREATE TABLE revocation (
                        encoded BLOB PRIMARY KEY,
                        subject BLOB NOT NULL,
                        revoked_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX revocation_subject ON revocation(subject);
                    """)
        }
        m.registerMigration("v5-witness") { db in
            // Which relay witnessed which change, and when (trust.md §6); derived from applied receipts.
            try db.execute(
                sql: """
                    CREATE TABLE witness (
                        change BLOB NOT NULL,
                        relay BLOB NOT NULL,
                        at INTEGER NOT NULL,
                        PRIMARY KEY (change, relay)
                    ) WITHOUT ROWID;
                    """)
        }
        m.registerMigration("v6-relay-peers") { db in
            // A relay's record of each device it served (`baoxue relay status`); not part of the log's truth.
            try db.execute(
                sql: """
                    CREATE TABLE relay_peer (
                        key BLOB PRIMARY KEY,
                        last_seen INTEGER NOT NULL,
                        sessions INTEGER NOT NULL,
                        failures INTEGER NOT NULL,
                        changes_in INTEGER NOT NULL,
                        changes_out INTEGER NOT NULL,
                        bytes_in INTEGER NOT NULL,
                        bytes_out INTEGER NOT NULL,
                        last_error TEXT,
                        position INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        m.registerMigration("v7-rulings") { db in
            // District admins' rulings learnt from applied `_admin` changes (trust.md §8).
            try db.execute(
                sql: """
                    CREATE TABLE ruling (
                        target BLOB NOT NULL,
                        kind INTEGER NOT NULL,
                        change BLOB NOT NULL,
                        PRIMARY KEY (target, kind)
                    ) WITHOUT ROWID;
                    """)
        }
        m.registerMigration("v8-views-delegations-heads") { db in
            // 1 once the log was opened without record views (a relay): the views lag the log
            // until `rebuildViews` re-derives them.
            try db.execute(sql: "CREATE TABLE view_state (id INTEGER PRIMARY KEY CHECK (id = 1), lagging INTEGER NOT NULL)")
            try db.execute(sql: "INSERT INTO view_state VALUES (1, 0)")
            // Delegations are read at every append and every relay handshake; device certificates outnumber them.
            try db.execute(sql: "CREATE INDEX certificate_issuing ON certificate(may_issue) WHERE may_issue = 1")
            // Authoring (a relay writes a receipt per stored batch) reads its scope's heads and its own
            // previous change in that scope; both were scans over every scope.
            try db.execute(sql: "ALTER TABLE head ADD COLUMN scope TEXT NOT NULL DEFAULT ''")
            try db.execute(sql: "UPDATE head SET scope = (SELECT scope FROM change WHERE change.id = head.id)")
            try db.execute(sql: "CREATE INDEX head_scope ON head(scope)")
            try db.execute(sql: "CREATE INDEX change_author_scope ON change(author, scope, seq)")
        }
        m.registerMigration("v9-keys") { db in
            // privacy.md §2. `key_grant`: which scope key ids were sealed to whom (every replica keeps it,
            // so a writer knows a scope is encrypted even before its own grant arrives). `scope_key`: the
            // keys this device opened (secret). `sealed_wait`: applied changes this device cannot read yet.
            try db.execute(
                sql: """
                    CREATE TABLE key_grant (
                        scope TEXT NOT NULL,
                        key_id BLOB NOT NULL,
                        epoch INTEGER NOT NULL,
                        recipient BLOB NOT NULL,
                        PRIMARY KEY (scope, key_id, recipient)
                    ) WITHOUT ROWID;
                    CREATE TABLE scope_key (
                        id BLOB PRIMARY KEY,
                        scope TEXT NOT NULL,
                        key BLOB NOT NULL,
                        epoch INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX scope_key_scope ON scope_key(scope, epoch);
                    CREATE TABLE sealed_wait (
                        change BLOB PRIMARY KEY,
                        key_id BLOB NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX sealed_wait_key ON sealed_wait(key_id);
                    """)
        }
        m.registerMigration("v10-transfers") { db in
            // privacy.md §2.1. `carry`: content key ids whose changes travel with another scope, from applied
            // child grants (every replica). `sealed_content`: the stored changes under a carried content key
            // (only those: a row per sealed change would cost every append a second B-tree write).
            // `content_key`: the content keys this device opened from child grants sealed to it (secret).
            try db.execute(
                sql: """
                    CREATE TABLE sealed_content (
                        key_id BLOB NOT NULL,
                        change BLOB NOT NULL,
                        PRIMARY KEY (key_id, change)
                    ) WITHOUT ROWID;
                    CREATE TABLE carry (
                        key_id BLOB NOT NULL,
                        scope TEXT NOT NULL,
                        source TEXT NOT NULL,
                        PRIMARY KEY (key_id, scope)
                    ) WITHOUT ROWID;
                    CREATE INDEX carry_scope ON carry(scope);
                    CREATE TABLE content_key (
                        id BLOB PRIMARY KEY,
                        scope TEXT NOT NULL,
                        key BLOB NOT NULL
                    ) WITHOUT ROWID;
                    """)
            // The key columns first: SQLite 3.40's integrity_check reports "NULL value in key_grant.epoch"
            // for a WITHOUT ROWID table whose NOT NULL column precedes a primary-key column (a false alarm
            // that would fail every integrity check of a relay holding grants).
            try db.execute(
                sql: """
                    CREATE TABLE key_grant_v10 (
                        scope TEXT NOT NULL,
                        key_id BLOB NOT NULL,
                        recipient BLOB NOT NULL,
                        epoch INTEGER NOT NULL,
                        PRIMARY KEY (scope, key_id, recipient)
                    ) WITHOUT ROWID;
                    INSERT INTO key_grant_v10 (scope, key_id, recipient, epoch) SELECT scope, key_id, recipient, epoch FROM key_grant;
                    DROP TABLE key_grant;
                    ALTER TABLE key_grant_v10 RENAME TO key_grant;
                    """)
        }
        m.registerMigration("v11-revocation-change") { db in
            // Which `_admin` change carries each revocation: a relay offers a revoked device that
            // change, and only it, so the device learns of its revocation and wipes (privacy.md §5).
            try db.execute(sql: "ALTER TABLE revocation ADD COLUMN change BLOB")
            let rows = try Row.fetchCursor(db, sql: "SELECT id, bytes FROM change WHERE scope = ?", arguments: [ScopeID.admin.value])
            while let row = try rows.next() {
                let bytes: Data = row[1]
                guard let change = try? Change.decodeStructure(Array(bytes)),
                    case .revocation(let r)? = try? AdminPayload.decode(change.payload)
                else { continue }
                try db.execute(
                    sql: "UPDATE revocation SET change = ? WHERE encoded = ? AND change IS NULL",
                    arguments: [row[0] as Data, Data(r.encoded)])
            }
        }
        RecordViewSchema.registerPayloadFormat2(in: &m)
        ChangeLog.registerRegistryKey(in: &m)
        RecordViewSchema.registerVoidUndoes(in: &m)
        ChangeLog.registerDistrictPolicies(in: &m)
        m.registerMigration("v19-transfer-bundles") { db in
            // privacy.md §2.1: a transfer now travels sealed, with the old school's changes inside it, and
            // no replica carries another scope's changes by content key id. `carried_change`: the changes a
            // transfer opened on this device and the content key id that opens each (derived; dropped by `lock`).
            try db.execute(
                sql: """
                    DROP TABLE carry;
                    DROP TABLE sealed_content;
                    CREATE TABLE carried_change (
                        change BLOB PRIMARY KEY,
                        key_id BLOB
                    ) WITHOUT ROWID;
                    """)
        }
        m.registerMigration("v20-member-departures") { db in
            // privacy.md §2(c): members who left a school (from applied departures); not secret, never dropped.
            try db.execute(
                sql: """
                    CREATE TABLE departure (
                        scope TEXT NOT NULL,
                        member BLOB NOT NULL,
                        left_at INTEGER NOT NULL,
                        PRIMARY KEY (scope, member, left_at)
                    ) WITHOUT ROWID;
                    """)
        }
        m.registerMigration("v21-keys-out-of-sqlite") { db in
            // privacy.md §5: scope, content and registry keys live in the 0600 `.keys` file beside the
            // database (`SecretKeys`), which took any rows over before this ran.
            try db.execute(sql: "DROP TABLE scope_key; DROP TABLE content_key; DROP TABLE registry_key")
        }
        m.registerMigration("v22-attachment-parts") { db in
            // privacy.md §3.6: where each opened part of an attachment is (derived; dropped by `lock`).
            try db.execute(
                sql: """
                    CREATE TABLE attachment_part (
                        attachment BLOB NOT NULL,
                        part INTEGER NOT NULL,
                        count INTEGER NOT NULL,
                        change BLOB NOT NULL,
                        PRIMARY KEY (attachment, part)
                    ) WITHOUT ROWID;
                    """)
        }
        m.registerMigration("v23-page-indexes") { db in
            // The field app's pages on a 120,000-child district (RecordViewSchema.lookupIndexes).
            for index in RecordViewSchema.lookupIndexes { try db.execute(sql: index) }
        }
        ChangeLog.registerPublishedFigures(in: &m)
        ChangeLog.registerEnrollmentDesk(in: &m)
        m.registerMigration("v26-event-subject-partial") { db in
            // Most events name a child and no subject: the subject index keeps only those that name one.
            try db.execute(sql: "DROP INDEX IF EXISTS rec_event_subject")
            for index in RecordViewSchema.lookupIndexes { try db.execute(sql: index) }
        }
        m.registerMigration("v27-one-author-index") { db in
            // Every stored change paid for a second author index that only authoring read (issue 25 §4: the
            // writer's CPU per change is what a second verifying core cannot share). Authoring now reads the
            // author's changes newest first through `change_author_seq` (`ChangeLog.deps`).
            try db.execute(sql: "DROP INDEX IF EXISTS change_author_scope")
        }
        return m
    }
}

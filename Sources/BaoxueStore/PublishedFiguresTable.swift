import BaoxueCore
import BaoxueRecords
import BaoxueTrust
import Foundation
import GRDB

/// A school's monthly figures as one replica holds them (trust.md §10): what was published, by
/// which change and when. Learnt from applied `_admin` changes, on relays as on devices (no key needed).
public struct PublishedFiguresEntry: Sendable, Equatable {
    public let figures: PublishedFigures
    public let change: ChangeID
    public let author: PublicKey
    public let hlc: HLCTimestamp

    init(figures: PublishedFigures, change: ChangeID, author: PublicKey, hlc: HLCTimestamp) {
        self.figures = figures
        self.change = change
        self.author = author
        self.hlc = hlc
    }

    /// The figures an applied `_admin` change carries, when their month was over on the day it was
    /// signed (the gate's date rule, kept on a replica with no authority too); nil for any other change.
    public init?(_ change: Change) {
        guard change.scope == .admin, change.payload.first == AdminPayload.figuresTag,
            case .figures(let f)? = try? AdminPayload.decode(change.payload),
            let signed = try? SimpleDate(unixMilliseconds: change.timestamp.milliseconds), f.isOver(on: signed)
        else { return nil }
        self.init(figures: f, change: change.id, author: change.author, hlc: change.timestamp)
    }

    /// The figures that stand, one per school and month: of several publications (a correction),
    /// the later HLC, then the greater change id. Sorted by month, then school.
    public static func standing(_ entries: [PublishedFiguresEntry]) -> [PublishedFiguresEntry] {
        var standing: [String: PublishedFiguresEntry] = [:]
        for entry in entries {
            let key = entry.figures.period + " " + entry.figures.school.value
            if let held = standing[key], (held.hlc.packed, held.change.hex) > (entry.hlc.packed, entry.change.hex) { continue }
            standing[key] = entry
        }
        return standing.values.sorted { ($0.figures.period, $0.figures.school.value) < ($1.figures.period, $1.figures.school.value) }
    }
}

extension ChangeLog {
    static func registerPublishedFigures(in m: inout DatabaseMigrator) {
        m.registerMigration("v24-published-figures") { db in
            try db.execute(
                sql: """
                    CREATE TABLE published_figures (
                        change BLOB PRIMARY KEY, hlc INTEGER NOT NULL, author BLOB NOT NULL, encoded BLOB NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
    }

    /// Stores the figures an applied `_admin` change carries (`PublishedFiguresEntry(_:)`).
    static func learnFigures(_ change: Change, db: Database) throws {
        guard let entry = PublishedFiguresEntry(change) else { return }
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO published_figures (change, hlc, author, encoded) VALUES (?, ?, ?, ?)")
            .execute(arguments: [Data(change.id.bytes), change.timestamp.packed, Data(change.author.bytes), Data(entry.figures.encoded)])
    }

    /// The figures that stand, one per school and month: of several publications (a correction),
    /// the later HLC, then the greater change id. Sorted by month, then school.
    public func publishedFigures() throws(StoreError) -> [PublishedFiguresEntry] {
        try storeCall {
            try readDB { db in
                try PublishedFiguresEntry.standing(
                    Row.fetchAll(db, sql: "SELECT change, hlc, author, encoded FROM published_figures").map { row in
                        PublishedFiguresEntry(
                            figures: try PublishedFigures.decode(Array(row[3] as Data)), change: try ChangeID(bytes: Array(row[0] as Data)),
                            author: try PublicKey(bytes: Array(row[2] as Data)), hlc: try HLCTimestamp(packed: row[1]))
                    })
            }
        }
    }
}

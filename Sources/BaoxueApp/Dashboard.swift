import BaoxueRecords
import BaoxueStore

/// The bureau's dashboard (issue 24 §3, first part): month by month, what the schools signed and
/// published (trust.md §10) — ledger entries opened and closed, children returned, visits and
/// home-teaching class hours — for the district and for one school. Read from the published
/// figures, which every admin device and relay holds, so a page costs one small table whatever
/// the district's size; the monthly report (`baoxue report`) stays the way to recompute them.
///
/// Invariant: `months` ascend and hold at most `shownMonths`; every series has one value a month.
public struct Dashboard: Sendable, Equatable {
    /// One school's (or the district's) figures, month by month.
    public struct Series: Sendable, Equatable {
        public let scope: String
        /// The school's name as the register writes it (the scope's last part).
        public let name: String
        /// Per month, the published counts; nil for a month the school did not publish.
        public let months: [PublishedFigures?]

        /// `measure` per month, 0 where nothing was published.
        public func values(_ measure: PublishedFigures.Measure) -> [Int] { months.map { $0?[measure] ?? 0 } }
    }

    public static let shownMonths = 6
    public let months: [String]
    public let schools: [Series]

    /// The district: each month's sum over the schools that published it.
    public func total(_ measure: PublishedFigures.Measure) -> [Int] {
        months.indices.map { i in schools.reduce(0) { $0 + ($1.months[i]?[measure] ?? 0) } }
    }

    /// The last `shownMonths` months that any school published, and each school's figures in them.
    public init(_ entries: [PublishedFiguresEntry]) {
        let shown = Array(Set(entries.map(\.figures.period)).sorted().suffix(Self.shownMonths))
        let byScope = Dictionary(grouping: entries, by: \.figures.school.value)
        months = shown
        schools = byScope.keys.sorted().map { scope in
            let held = Dictionary(uniqueKeysWithValues: byScope[scope]!.map { ($0.figures.period, $0.figures) })
            return Series(
                scope: scope, name: scope.split(separator: "/").last.map(String.init) ?? scope, months: shown.map { held[$0] })
        }
    }
}

extension ReplicaCommands {
    static func dashboard(_ replica: Replica) throws(AppError) -> Dashboard {
        Dashboard(try attempt { () throws(StoreError) in try replica.log.publishedFigures() })
    }
}

import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueTrust
import Foundation

/// A school's month of figures as published (trust.md §10): to what scope, which month, the counts,
/// and the change that carries them up through the relays.
public struct FiguresPublication: Encodable, Equatable, Sendable {
    public let school: String
    public let period: String
    public let counts: [String: Int]
    public let change: String

    public func lines(_ l: Language) -> [String] {
        let f = counts
        return [
            l.say(ReportMessages.figuresPublished, school, period),
            l.say(
                ReportMessages.figuresPublishedCounts, f["children"] ?? 0, f["suspectedOpen"] ?? 0, f["dropoutOpen"] ?? 0,
                f["returned"] ?? 0, f["homeTeachingHours"] ?? 0),
        ]
    }
}

extension ReplicaCommands {
    /// Publishes the month `period` (`YYYY-MM`, over by today) of this device's school in clear, signed:
    /// the monthly report's summary figures, summed over the children this replica holds (of `school`
    /// when given), for `scope` (default: the one scope this device's certificate names). Only a school
    /// or district admin's device may; a relay shows them without any key.
    public static func publishFigures(
        directory: String, period: String, scope: String?, school: String?, now: UInt64 = Replica.nowMilliseconds()
    ) throws(AppError) -> FiguresPublication {
        try publishFigures(try open(directory), period: period, scope: scope, school: school, now: now)
    }

    static func publishFigures(
        _ replica: Replica, period: String, scope: String?, school: String?, now: UInt64
    ) throws(AppError) -> FiguresPublication {
        let (label, from, to) = try reportPeriod(.monthly, period)
        guard let today = try? SimpleDate(unixMilliseconds: now), to <= today else {
            throw .monthNotOver(period: label, lastDay: to.description)
        }
        let certificate = try attempt { () throws(StoreError) in try replica.log.latestCertificate(of: replica.key.publicKey) }
        guard let certificate else { throw .trust(.noCertificate(replica.key.publicKey)) }
        let target: ScopeID
        if let scope {
            guard let s = try? ScopeID(scope) else { throw .invalidArgument(option: "--scope", value: scope) }
            target = s
        } else {
            guard certificate.scopes.count == 1 else { throw .scopeRequired(held: certificate.scopes.map(\.value)) }
            target = certificate.scopes[0]
        }
        do { try Permissions.checkFigures(school: target, under: certificate) } catch { throw .trust(error) }
        let figures = try attempt { () throws(StoreError) in
            try replica.log.monthFigures(scope: target, from: from, to: to, schoolName: school)
        }
        let change = try attempt { () throws(StoreError) in
            try replica.write(scope: .admin, payload: AdminPayload.figures(figures).encoded, now: now)
        }
        return FiguresPublication(
            school: target.value, period: label,
            counts: Dictionary(uniqueKeysWithValues: PublishedFigures.Measure.allCases.map { ($0.name, figures[$0]) }),
            change: change.id.hex)
    }
}

import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueSync
import BaoxueSynthetic
import BaoxueTransport
import Foundation

/// The built-in example: a teacher's and a liaison's device record visits
/// offline, meet, exchange changes, and end with the same log; a forged
/// change is refused. Writes into `directory` and reports each step.
public enum Demo {
    public struct Outcome: Sendable, Equatable {
        public let teacherHeads: [ChangeID]
        public let liaisonHeads: [ChangeID]
        public let forgeryRejected: Bool
        public let lines: [String]
    }

    public static func run(in directory: String, lang l: Language) throws(AppError) -> Outcome {
        var lines: [String] = []
        let scope = try core { () throws(CoreError) in try ScopeID("丰南区-示例小学") }
        let teacher = try attempt { () throws(StoreError) in try Replica.create(at: directory + "/teacher") }
        let liaison = try attempt { () throws(StoreError) in try Replica.create(at: directory + "/liaison") }
        lines.append(
            l.say(DemoMessages.twoDevicesClassTeacherVillage, teacher.key.publicKey.fingerprint, liaison.key.publicKey.fingerprint))

        let child = RecordID.derived("demo-child-张小明")
        let today = try attemptRecords { () throws(RecordsError) in try SimpleDate(unixMilliseconds: Replica.nowMilliseconds()) }
        let now = Replica.nowMilliseconds()
        _ = try attempt { () throws(StoreError) in
            try teacher.log.appendOperations(by: teacher.key, scope: scope, now: now) { _ throws(StoreError) in
                [
                    .set(kind: .child, record: child, field: "name", value: .text("张小明"), pred: []),
                    .set(kind: .child, record: child, field: "school", value: .text("示例小学"), pred: []),
                ]
            }
        }
        // The teacher's class roster: 40 children from a synthetic district (no real person's data).
        let district = SyntheticDistrict(seed: 2025, children: 40, schools: 4)
        for i in 0..<40 {
            _ = try attempt { () throws(StoreError) in
                try teacher.log.appendOperations(by: teacher.key, scope: scope, now: now) { _ throws(StoreError) in
                    district.childOps(i, today: today)
                }
            }
        }
        let shared = try attempt { () throws(StoreError) in try teacher.log.entries(after: 0, limit: 100) }.map(\.change)
        _ = try attempt { () throws(StoreError) in try liaison.log.append(shared) }
        _ = try attempt { () throws(StoreError) in
            try teacher.log.appendOperations(by: teacher.key, scope: scope, now: now + 1) { s throws(StoreError) in
                [
                    .event(
                        Event(
                            child: child, date: today,
                            body: .visit(
                                Visit(
                                    participants: ["班主任"], householdFound: true, childSeen: true, spokeTo: "母亲",
                                    reasonOut: "厌学", agreed: "下周一返校", nextContact: try? today.adding(days: 7))))),
                    .set(
                        kind: .child, record: child, field: "status",
                        value: .status(StatusFact(status: .returned, date: today, reason: "家访后同意返校")),
                        pred: try s.liveOps(kind: .child, record: child, field: "status")),
                ]
            }
        }
        _ = try attempt { () throws(StoreError) in
            try liaison.log.appendOperations(by: liaison.key, scope: scope, now: now + 2) { s throws(StoreError) in
                [
                    .set(
                        kind: .child, record: child, field: "school", value: .text("示例小学（东校区）"),
                        pred: try s.liveOps(kind: .child, record: child, field: "school")),
                    .add(kind: .child, record: child, set: "focus", element: FocusGroup.leftBehind.rawValue),
                ]
            }
        }
        lines.append(
            l.say(DemoMessages.offlineTeacherImportsRosterOf))

        // They meet at school: a real sync session (Noise handshake, reconciliation, acknowledged
        // batches) over a simulated 2G link, in virtual time.
        var liaisonSide: SyncEndpoint
        var teacherSide: SyncEndpoint
        do {
            liaisonSide = try SyncEndpoint.make(
                role: .initiator, key: liaison.key, store: liaison.log,
                policy: SyncPolicy(grants: [teacher.key.publicKey: .allScopes]), scopes: [scope], now: 0)
            teacherSide = try SyncEndpoint.make(
                role: .responder, key: teacher.key, store: teacher.log,
                policy: SyncPolicy(grants: [liaison.key.publicKey: .allScopes]), now: 0)
        } catch { throw .sync(error) }
        let link = SimulatedLink.run(initiator: &liaisonSide, responder: &teacherSide, conditions: .edge)
        let summary: SyncSummary
        switch link.initiator {
        case .success(let s)?: summary = s
        case .failure(let e)?: throw .sync(e)
        case nil: throw .sync(.connectionClosed)
        }
        lines.append(
            l.say(DemoMessages.metAtSchoolAndSynced)
                + SyncView(summary).text(l))

        let teacherHeads = try attempt { () throws(StoreError) in try teacher.log.heads() }
        let liaisonHeads = try attempt { () throws(StoreError) in try liaison.log.heads() }
        let same = teacherHeads == liaisonHeads
        lines.append(
            l.say(same ? DemoMessages.logsIdentical : DemoMessages.logsDifferent, teacherHeads.count))

        var forged = try attempt { () throws(StoreError) in try liaison.log.entries(after: 0, limit: 1) }[0].change.encoded
        let at = forged.count - 100
        forged[at] ^= 0x01
        var rejected = false
        do {
            _ = try teacher.log.append(encoded: [forged])
        } catch {
            rejected = true
            lines.append(l.say(DemoMessages.forgedChangeIsRefused) + AppError.store(error).line(l))
        }
        if !rejected { lines.append(l.say(DemoMessages.forgedChangeWasAccepted)) }

        if let view = try attempt({ () throws(StoreError) in try teacher.log.child(child) }) {
            lines.append(
                l.say(
                    DemoMessages.mergedChildRecord, view.name ?? "", view.school ?? "", view.status.map { l.label($0) } ?? "",
                    l.list(view.focus.compactMap { FocusGroup(rawValue: $0).map { l.label($0) } })))
        }
        let roster = try attempt { () throws(StoreError) in try liaison.log.children() }
        let ledger = try attempt { () throws(StoreError) in try liaison.log.ledger(.suspectedDropout) }
        lines.append(
            l.say(
                DemoMessages.onLiaisonsDeviceChildrenOn, roster.count, ledger.count,
                try attempt { () throws(StoreError) in try liaison.log.conflicts() }.count))
        lines.append(l.say(DemoMessages.logOnTeachersDeviceLast))
        let rows = try attempt { () throws(StoreError) in try teacher.log.entries(after: 0, limit: 100) }.suffix(5).map { LogRow($0) }
        lines += rows.map { "  " + $0.text(l) }
        return Outcome(teacherHeads: teacherHeads, liaisonHeads: liaisonHeads, forgeryRejected: rejected, lines: lines)
    }

    private static func core<T>(_ body: () throws(CoreError) -> T) throws(AppError) -> T {
        do { return try body() } catch { throw .core(error) }
    }
}

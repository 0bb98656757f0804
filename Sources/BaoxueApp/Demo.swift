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
            l.pick(
                "[1/5] 建立两台设备：班主任 \(teacher.key.publicKey.fingerprint)，村联络员 \(liaison.key.publicKey.fingerprint)",
                "[1/5] two devices: class teacher \(teacher.key.publicKey.fingerprint), village liaison "
                    + "\(liaison.key.publicKey.fingerprint)"
            ))

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
            l.pick(
                "[2/5] 离线记录：班主任导入 40 名学生花名册，记下家访和返校状态，联络员改了学校名并标注留守儿童（各自签名）",
                "[2/5] offline: the teacher imports a roster of 40, records a visit and a return, the liaison edits the school and flags "
                    + "left-behind (each signed)"
            ))

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
            l.pick(
                "[3/5] 在学校相遇，经 2G 网络（模拟 50 kbit/s）同步，全部验签通过。联络员一侧：",
                "[3/5] met at school and synced over a 2G link (simulated, 50 kbit/s), every signature verified. Liaison's side: ")
                + SyncView(summary).text(l))

        let teacherHeads = try attempt { () throws(StoreError) in try teacher.log.heads() }
        let liaisonHeads = try attempt { () throws(StoreError) in try liaison.log.heads() }
        let same = teacherHeads == liaisonHeads
        lines.append(
            l.pick(
                "[4/5] 两台设备的日志\(same ? "一致" : "不一致！")：\(teacherHeads.count) 个最新变更",
                "[4/5] the two logs are \(same ? "identical" : "DIFFERENT!"): \(teacherHeads.count) head(s)"))

        var forged = try attempt { () throws(StoreError) in try liaison.log.entries(after: 0, limit: 1) }[0].change.encoded
        let at = forged.count - 100
        forged[at] ^= 0x01
        var rejected = false
        do {
            _ = try teacher.log.append(encoded: [forged])
        } catch {
            rejected = true
            lines.append(l.pick("[5/5] 伪造的变更被拒收：", "[5/5] a forged change is refused: ") + AppError.store(error).line(l))
        }
        if !rejected { lines.append(l.pick("[5/5] 伪造的变更竟被接受！", "[5/5] a forged change was ACCEPTED!")) }

        if let view = try attempt({ () throws(StoreError) in try teacher.log.child(child) }) {
            lines.append(
                l.pick(
                    "合并后的儿童记录：\(view.name ?? "") · \(view.school ?? "") · \(view.status?.chinese ?? "") · 重点群体 "
                        + "\(view.focus.compactMap { FocusGroup(rawValue: $0)?.chinese }.joined(separator: "、"))",
                    "merged child record: \(view.name ?? "") · \(view.school ?? "") · \(view.status?.rawValue ?? "") · focus "
                        + "\(view.focus.joined(separator: ","))"
                ))
        }
        let roster = try attempt { () throws(StoreError) in try liaison.log.children() }
        let ledger = try attempt { () throws(StoreError) in try liaison.log.ledger(.suspectedDropout) }
        lines.append(
            l.pick(
                "联络员设备上：\(roster.count) 名儿童，疑似辍学台账 \(ledger.count) 人，待核对冲突 "
                    + "\(try attempt { () throws(StoreError) in try liaison.log.conflicts() }.count) 项",
                "on the liaison's device: \(roster.count) children, \(ledger.count) on the suspected-dropout ledger, "
                    + "\(try attempt { () throws(StoreError) in try liaison.log.conflicts() }.count) conflicts to review"
            ))
        lines.append(l.pick("班主任设备上的日志（最近 5 条）：", "log on the teacher's device (last 5):"))
        let rows = try attempt { () throws(StoreError) in try teacher.log.entries(after: 0, limit: 100) }.suffix(5).map { LogRow($0) }
        lines += rows.map { "  " + $0.text(l) }
        return Outcome(teacherHeads: teacherHeads, liaisonHeads: liaisonHeads, forgeryRejected: rejected, lines: lines)
    }

    private static func core<T>(_ body: () throws(CoreError) -> T) throws(AppError) -> T {
        do { return try body() } catch { throw .core(error) }
    }
}

import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueRelay
import BaoxueStore
import BaoxueSync
import BaoxueSynthetic
import BaoxueTrust
import Dispatch
import Foundation
import Logging

/// The whole system on one machine in well under a minute: a synthetic
/// township (an authority, a relay on a loopback port, two teachers and a
/// village liaison, a few hundred children from a GBK roster), a scripted
/// offline day, peer-to-peer and relay syncs over real TCP, then the merged
/// ledgers, the conflict it surfaced and one child's audit trail.
///
/// Invariant: the relay is shut down before `run` returns, whatever happened.
public enum TownshipDemo {
    public struct Outcome: Sendable, Equatable {
        /// All three devices ended with the same heads.
        public let converged: Bool
        /// The two concurrent status edits show as a conflict on every device.
        public let conflictSurfaced: Bool
        /// The audited child's changes carry the relay's receipt.
        public let witnessed: Bool
        /// None of the roster's names is anywhere in the relay's files (privacy.md).
        public let relayHoldsNoNames: Bool
        /// After the transfer, the new school's teacher reads the child's history and no other child.
        public let transferRead: Bool
        /// The relay-side attacker (privacy.md §4) on the relay's database tells the ledger children
        /// from the rest no better than chance and finds no ID number.
        public let relayInferenceFails: Bool
    }

    static let township = "丰南区/东镇"
    /// The passphrase of the demo's authority key, kept in the district admin's folder (printed by the demo).
    public static let authorityPassphrase = "东镇演示-授权口令-2026"

    public static func run(
        in directory: String, children: Int = 300, lang l: Language, say: (String) -> Void
    ) async throws(AppError) -> Outcome {
        let started = DispatchTime.now().uptimeNanoseconds
        let district = SyntheticDistrict(seed: 2026, children: children, schools: 1)
        let school = district.schools[0].name
        let scope = try scopeID("\(township)/\(school)")
        let authority = DeviceKey.generate()
        func enroll(
            _ folder: String, _ name: String, _ role: Role, _ scopes: [ScopeID], mayIssue: Bool = false
        ) throws(AppError) -> Replica {
            let key = DeviceKey.generate()
            let now = Replica.nowMilliseconds()
            let certificate: Certificate
            do {
                certificate = try Certificate.issue(
                    by: authority, subject: key.publicKey, role: role, mayIssue: mayIssue, validFrom: now - 86_400_000,
                    validUntil: now + 365 * 86_400_000, name: name, scopes: scopes)
            } catch { throw .trust(error) }
            return try attempt { () throws(StoreError) in
                let replica = try Replica.createEnrolled(
                    at: directory + "/" + folder, key: key, authority: authority.publicKey, certificate: certificate)
                // As its certificate file would (trust.md §5): the district's registry key, for every role but a relay.
                if role != .relay { try replica.log.keepRegistryKey(RegistryKey.ofAuthority(authority), source: .district) }
                return replica
            }
        }
        _ = try enroll("relay", "东镇中继", .relay, [try scopeID(township)])
        let teacherA = try enroll("teacher-a", "王老师", .teacher, [scope])
        let teacherB = try enroll("teacher-b", "李老师", .teacher, [scope])
        let liaison = try enroll("liaison", "赵联络员", .liaison, [scope])
        let admin = try enroll("school-admin", "孙校长", .schoolAdmin, [scope])
        // The township's education office holds a delegation: it approves new devices of its schools
        // (their requests reach it through the relay's desk) while the authority key stays offline.
        let office = try enroll("township-admin", "东镇教办", .schoolAdmin, [try scopeID(Self.township)], mayIssue: true)
        say(
            l.say(DemoMessages.bureauCertifiesRelayTwoTeachers, school))

        let (relay, relayLog) = try await startRelay(directory + "/relay")
        // Everything between the relay starting and stopping; the relay stops whatever happens in it.
        func offlineDay() async throws(AppError) -> Outcome {
            let relayAddress = "127.0.0.1:\(relay.port)"
            say(l.say(DemoMessages.townshipRelayServesOn, relayAddress))
            // Encryption: the certificates reach the school admin through the relay; the admin seals the
            // school's key to every member and the bureau; the members fetch it.
            func quietly(_ device: Replica) async throws(AppError) {
                _ = try await SyncCommands.sync(directory: device.directory, peer: relayAddress, scopes: [scope.value], language: l)
            }
            for device in [teacherA, teacherB, liaison, admin, office] { try await quietly(device) }
            let keys = try PrivacyCommands.grant(directory: admin.directory, scope: scope.value, rotate: false)
            for device in [admin, teacherA, teacherB, liaison] { try await quietly(device) }
            say(
                l.say(DemoMessages.schoolAdminSealsSchoolsKey, keys.heldEpoch ?? 0))

            // The school's roster, exported from the student registry the way Excel saves it in China (GBK).
            let today = try day()
            let roster = directory + "/学籍导出.csv"
            var lines = ["姓名,性别,出生日期,身份证件号,全国学籍号,学校名称,年级,班级,现住址,监护人,监护人电话"]
            var ids: [String] = []
            var names: [String] = []
            for i in 0..<children {
                var f: [String: String] = [:]
                for case .set(_, _, let field, let value, _) in district.childOps(i, today: today) {
                    switch value {
                    case .text(let t): f[field] = t
                    case .number(let n): f[field] = String(n)
                    default: break
                    }
                }
                ids.append(f["idNumber"] ?? "")
                names.append(f["name"] ?? "")
                lines.append(
                    [
                        f["name"], f["gender"] == "male" ? "男" : "女", "", f["idNumber"], "", f["school"], f["grade"], f["className"],
                        f["village"], f["guardianName"], f["guardianPhone"],
                    ].map { $0 ?? "" }.joined(separator: ","))
            }
            guard let gbk = RosterFile.gb18030(lines.joined(separator: "\r\n") + "\r\n"),
                FileManager.default.createFile(atPath: roster, contents: Data(gbk))
            else { throw .fileMissing(path: roster) }
            let imported = try ReplicaCommands.importRoster(
                directory: teacherA.directory, file: roster, source: .xueji, scope: nil, language: l)
            say(l.say(DemoMessages.teacherImportsRoster) + imported.lines(l).joined(separator: " "))
            try await sync(teacherA, relayAddress, scope, l, say, "[3/7] " + l.say(DemoMessages.teacherRelay))
            try await sync(teacherB, relayAddress, scope, l, say, "[3/7] " + l.say(DemoMessages.teacherBRelay))
            try await sync(liaison, relayAddress, scope, l, say, "[3/7] " + l.say(DemoMessages.liaisonRelay))

            let key = try attempt { () throws(StoreError) in try teacherA.log.registryKeyForImport() }
            let rows = try ids.map { id throws(AppError) -> RecordID in
                guard let child = RosterPlan.child(idNumber: id, studentNumber: nil, key: key) else { throw .childUnknown(id) }
                return child
            }
            let (x, y) = (rows[0], rows[1])
            let now = Replica.nowMilliseconds()
            let onLedger = try DemoAttendance.twoWeeks(rows, teacher: teacherA, liaison: liaison, scope, today: today, now: now)
            for device in [teacherA, liaison, teacherA, teacherB] { try await quietly(device) }
            say(
                l.say(DemoMessages.twoWeeksBeforeTeacherRecords, onLedger.count))

            // The offline day, about two children of the roster.
            let yesterday = try attemptRecords { () throws(RecordsError) in try today.adding(days: -1) }
            let threeDaysAgo = try attemptRecords { () throws(RecordsError) in try today.adding(days: -3) }
            let nextWeek = try attemptRecords { () throws(RecordsError) in try today.adding(days: 7) }
            try write(teacherA, scope, now) { s throws(StoreError) in
                [
                    .event(
                        Event(
                            child: x, date: yesterday,
                            body: .absence(Absence(from: threeDaysAgo, to: yesterday, schoolDays: 3, excused: false))
                        )),
                    .set(
                        kind: .child, record: x, field: "status",
                        value: .status(StatusFact(status: .suspectedDropout, date: today, reason: "连续旷课 3 天")),
                        pred: try s.liveOps(kind: .child, record: x, field: "status")),
                ]
            }
            try write(teacherB, scope, now + 1) { s throws(StoreError) in
                [
                    .set(
                        kind: .child, record: x, field: "status",
                        value: .status(StatusFact(status: .transferredOut, date: today, reason: "家长电话称已随父母到外地就读")),
                        pred: try s.liveOps(kind: .child, record: x, field: "status"))
                ]
            }
            try write(teacherB, scope, now + 1) { _ throws(StoreError) in
                [
                    .event(
                        Event(
                            child: y, date: today,
                            body: .homeTeaching(HomeTeachingSession(classHours: 2, teacher: "李老师", content: "语文：识字与朗读")))
                    )
                ]
            }
            let caseFile = RecordID.derived("baoxue.demo.case:" + x.hex)
            try write(liaison, scope, now + 2) { _ throws(StoreError) in
                [
                    .set(kind: .caseFile, record: caseFile, field: "child", value: .text(x.hex), pred: []),
                    .set(
                        kind: .caseFile, record: caseFile, field: "reason", value: .text(ReasonCategory.dislikesSchool.rawValue), pred: []),
                    .event(
                        Event(
                            child: x, date: today,
                            body: .visit(
                                Visit(
                                    participants: ["村联络员", "王老师"], householdFound: true, childSeen: true,
                                    spokeTo: "祖母", reasonOut: "厌学", agreed: "下周一送回学校", nextContact: nextWeek)))),
                    .event(
                        Event(
                            child: x, subject: caseFile, date: today,
                            body: .persuasion(PersuasionAttempt(method: "入户劝返", outcome: .agreedToReturn, note: "祖母同意周一送校")))),
                ]
            }
            say(
                l.say(DemoMessages.offlineDayTeacherRecordsDays))

            // The teachers meet at school: peer to peer over TCP, teacher B serving.
            try await peerToPeer(server: teacherB, client: teacherA, scope, l, say)
            // Evening at the township office: everyone reaches the relay (twice for the liaison and A,
            // so the relay's receipts written meanwhile reach them too).
            try await sync(liaison, relayAddress, scope, l, say, l.say(DemoMessages.liaisonRelay))
            try await sync(teacherA, relayAddress, scope, l, say, l.say(DemoMessages.teacherRelay))
            try await sync(liaison, relayAddress, scope, l, say, l.say(DemoMessages.liaisonRelay))
            try await sync(teacherB, relayAddress, scope, l, say, l.say(DemoMessages.teacherBRelay))
            try await sync(teacherA, relayAddress, scope, l, say, l.say(DemoMessages.teacherRelay))

            let heads = try [teacherA, teacherB, liaison].map { r throws(AppError) in
                try attempt { () throws(StoreError) in try r.log.heads() }
            }
            let converged = heads.allSatisfy { $0 == heads[0] }
            say(
                l.say(converged ? DemoMessages.threeDevicesAgree : DemoMessages.threeDevicesDisagree, heads[0].count))

            var conflictSurfaced = true
            for device in [teacherA, teacherB, liaison] {
                conflictSurfaced =
                    try attempt { () throws(StoreError) in try device.log.conflicts() }.contains {
                        $0.child == x && $0.conflicts == ["status"]
                    }
                    && conflictSurfaced
            }
            let transferRead = try await transfer(
                y, from: scope, schoolAdmin: admin, relay: relayAddress,
                enroll: { (f: String, n: String, r: Role, s: [ScopeID]) throws(AppError) -> Replica in try enroll(f, n, r, s) }, l, say)
            // The bureau's machine keeps the authority key, sealed: its console (baoxue ui) revokes lost phones with it.
            try attempt { () throws(StoreError) in
                try AuthorityKeyFile.create(
                    at: directory + "/district-admin/" + EnrollmentCommands.authorityKeyFile, key: authority,
                    passphrase: authorityPassphrase, cost: .interactive)
            }
            say(l.say(DemoMessages.authorityKeyKept, authorityPassphrase))
            try report(liaison, x, l, say)
            let audit = try ReplicaCommands.audit(directory: liaison.directory, child: x.hex, language: l)
            say(l.say(DemoMessages.childsHistoryOnLiaisonsDevice))
            for line in audit { say("  " + line.text(l)) }
            let witnessed = audit.contains { !$0.witnessedBy.isEmpty }
            let relayFiles = Data(
                ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/relay")) ?? [])
                    .flatMap { Array(FileManager.default.contents(atPath: directory + "/relay/" + $0) ?? Data()) })
            let found = names.filter { !$0.isEmpty && relayFiles.range(of: Data($0.utf8)) != nil }.count
            say(
                l.say(DemoMessages.searchedRelaysFilesKbFor, relayFiles.count / 1024, names.count, found))
            // The attacker of privacy.md §4, on the relay's database alone: can it tell the ledger children?
            let flagged = rows.indices.map { onLedger.contains($0) || $0 == 0 }
            let changes = try attempt { () throws(StoreError) in try relayLog.entries(after: 0, limit: 10_000_000) }.map(\.change)
                .filter { $0.scope == scope }
            let inference = RelayInference(
                changes: changes, flagged: flagged, idNumbers: ids, recordIDs: rows.map { (try? Hex.decode($0.hex)) ?? [] })
            let worst = inference.worst
            let (auc, bound) = (String(format: "%.3f", worst.auc), String(format: "%.3f", inference.bound))
            say(
                l.say(
                    DemoMessages.relayInference, inference.children, inference.flagged, auc, bound,
                    l.say(inference.separates ? DemoMessages.relayCanTellApart : DemoMessages.relayCannotTellApart),
                    inference.idNumbersFound))
            return Outcome(
                converged: converged, conflictSurfaced: conflictSurfaced, witnessed: witnessed, relayHoldsNoNames: found == 0,
                transferRead: transferRead, relayInferenceFails: !inference.separates && inference.idNumbersFound == 0)
        }
        let outcome: Outcome
        do { outcome = try await offlineDay() } catch {
            await relay.shutdown(graceMs: 2_000)
            throw error
        }
        await relay.shutdown(graceMs: 2_000)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        say(l.say(DemoMessages.doneRelayStopped, String(format: "%.1f", seconds)))
        return outcome
    }

    /// 转学: the district admin hands child `y` to a second school of the township; the new school's
    /// teacher, syncing only that school, reads the child's name and home-teaching record and no other child.
    static func transfer(
        _ y: RecordID, from scope: ScopeID, schoolAdmin: Replica, relay: String,
        enroll: (String, String, Role, [ScopeID]) throws(AppError) -> Replica,
        _ l: Language, _ say: (String) -> Void
    ) async throws(AppError) -> Bool {
        let second = try scopeID("\(township)/东镇第二小学")
        let bureau = try enroll("district-admin", "钱科长", .districtAdmin, [try scopeID(township)])
        let teacherC = try enroll("teacher-c", "周老师", .teacher, [second])
        func syncQuietly(_ device: Replica, _ scopes: [ScopeID]) async throws(AppError) {
            _ = try await SyncCommands.sync(directory: device.directory, peer: relay, scopes: scopes.map(\.value), language: l)
        }
        try await syncQuietly(teacherC, [second])
        try await syncQuietly(bureau, [scope, second])
        // The school admin's morning round: the school's key, sealed again to members who lack it (the bureau's device).
        try await syncQuietly(schoolAdmin, [scope])
        _ = try PrivacyCommands.grant(directory: schoolAdmin.directory, scope: scope.value, rotate: false)
        try await syncQuietly(schoolAdmin, [scope])
        try await syncQuietly(bureau, [scope, second])
        _ = try PrivacyCommands.grant(directory: bureau.directory, scope: second.value, rotate: false)
        let done = try ReplicaCommands.transfer(
            directory: bureau.directory, child: y.hex, to: second.value, reason: "随父母迁居", date: nil, language: l)
        try await syncQuietly(bureau, [scope, second])
        try await syncQuietly(teacherC, [second])
        let seen = try attempt { () throws(StoreError) in try teacherC.log.children() }
        let sessions = try attempt { () throws(StoreError) in try teacherC.log.events(child: y) }.count
        let name = seen.first { $0.child == y }?.name ?? "?"
        say(
            l.say(DemoMessages.transferSeen, name, seen.first?.status.map { l.label($0) } ?? "?", sessions, seen.count - 1))
        _ = done
        return seen.count == 1 && seen[0].child == y && seen[0].name != nil && seen[0].status == .transferredIn && sessions == 1
    }

    /// Ledgers, the conflict with both values and who wrote each.
    static func report(_ device: Replica, _ x: RecordID, _ l: Language, _ say: (String) -> Void) throws(AppError) {
        say(l.say(DemoMessages.mergedLedgersOnLiaisonsDevice))
        for ledger in [Ledger.suspectedDropout, .dropout] {
            let rows = try attempt { () throws(StoreError) in try device.log.ledger(ledger) }
            say("  " + l.say(DemoMessages.ledgerCount, l.label(ledger), rows.count))
            for r in rows { say("    \(r.name ?? "?")  \(r.school ?? "")  \(l.say(DemoMessages.since)) \(r.since)") }
        }
        // The same view `baoxue conflicts` prints.
        for conflict in try ReplicaCommands.conflicts(directory: device.directory, language: l)
        where conflict.child == x.hex && conflict.field == "status" {
            say(
                l.say(DemoMessages.conflictToSettleSStatus, conflict.name, conflict.values.count))
            for v in conflict.values { say("  \(v.value) — \(v.author)") }
        }
    }

    static func startRelay(_ directory: String) async throws(AppError) -> (Relay, ChangeLog) {
        let replica = try attempt { () throws(StoreError) in try Replica.open(at: directory, witness: true, views: false) }
        let (certificates, vouch) = SyncCommands.presentation(for: replica)
        let c = {
            var c = Relay.Configuration()
            c.host = "127.0.0.1"
            c.port = 0
            return c
        }()
        let quiet = Logger(label: "baoxue.demo.relay", factory: { _ in SwiftLogNoOpLogHandler() })
        do {
            let relay = try await Relay.start(
                key: replica.key, log: replica.log, policy: { (try? SyncCommands.policy(for: replica)) ?? SyncPolicy() },
                certificates: certificates, vouch: vouch, configuration: c, logger: quiet)
            return (relay, replica.log)
        } catch { throw .sync(error) }
    }

    static func sync(
        _ device: Replica, _ address: String, _ scope: ScopeID, _ l: Language, _ say: (String) -> Void, _ who: String
    ) async throws(AppError) {
        let view = try await SyncCommands.sync(directory: device.directory, peer: address, scopes: [scope.value], language: l)
        say((who.hasPrefix("[") ? "" : "[5/7] ") + who + l.say(Punctuation.colon) + view.text(l))
    }

    /// Teacher B serves one session on a loopback port; teacher A connects to it.
    static func peerToPeer(
        server: Replica, client: Replica, _ scope: ScopeID, _ l: Language, _ say: (String) -> Void
    ) async throws(AppError) {
        let (listener, sessions) = try await SyncCommands.listen(directory: server.directory, listen: "127.0.0.1:0", language: l)
        do {
            try await sync(
                client, "127.0.0.1:\(listener.port)", scope, l, say,
                l.say(DemoMessages.teacherTeacherBAtSchool))
        } catch {
            await listener.stop()
            throw error
        }
        // The server's side of the session has ended when its outcome arrives.
        for await _ in sessions { break }
        await listener.stop()
    }

    static func write(
        _ device: Replica, _ scope: ScopeID, _ now: UInt64, _ ops: (RecordSnapshot) throws(StoreError) -> [RecordOp]
    ) throws(AppError) {
        _ = try attempt { () throws(StoreError) in try device.log.appendOperations(by: device.key, scope: scope, now: now, ops) }
    }

    static func scopeID(_ text: String) throws(AppError) -> ScopeID {
        do { return try ScopeID(text) } catch { throw .core(error) }
    }

}

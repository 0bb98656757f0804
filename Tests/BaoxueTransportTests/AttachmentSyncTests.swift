import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueSodium
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import BaoxueTransport
import BaoxueTrust
import Testing

/// Evidence that travels (privacy.md §3.6): a teacher's visit with a 2 MB photo reaches the school
/// admin through the relay over the simulated 2G link, resuming after a cut with only the parts
/// not yet acknowledged; the relay holds ciphertext; a device rotated out cannot open a photo
/// taken after the rotation; a transfer carries the photo to the child's new school.
@Suite struct AttachmentSyncTests {
    let authority = Fixtures.key(0xAA)
    let admin = Fixtures.key(0x61), teacher = Fixtures.key(0x62), gone = Fixtures.key(0x63), relayKey = Fixtures.key(0x65)
    let district = Fixtures.key(0x66), teacherB = Fixtures.key(0x67)
    let t0: UInt64 = 1_764_000_000_000
    let day: UInt64 = 86_400_000
    let school = try! ScopeID("丰南区/东镇/甲小学")
    let schoolB = try! ScopeID("丰南区/东镇/乙小学")
    let child = RecordID.derived("有照片的儿童")
    var now: UInt64 { t0 + day }

    func device(_ key: DeviceKey) throws -> ChangeLog {
        try ChangeLog(
            inMemory: (),
            options: .init(authority: authority.publicKey, clock: { [now] in now + 3_600_000 }, reader: key, sealRequired: true))
    }

    func copy(_ from: ChangeLog, to: ChangeLog) throws {
        _ = try to.append(encoded: try from.entries(after: 0, limit: 100_000).map(\.change.encoded))
    }

    func photo(_ seed: UInt64, bytes: Int = 2_000_000) -> [UInt8] {
        var rng = SeededGenerator(seed: seed)
        return (0..<bytes).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    func visit(_ file: [UInt8], on log: ChangeLog, by key: DeviceKey, at ms: UInt64) throws -> Change {
        let parts = try AttachmentPart.split(file, name: "家访照片.jpg", child: child)
        let date = try SimpleDate(unixMilliseconds: ms)
        let v = Visit(
            participants: ["王老师"], householdFound: true, childSeen: true, spokeTo: "母亲", agreed: "周一返校",
            evidence: [Hex.encode(Blake2b.hash(file, length: 32))])
        return try log.appendOperations(by: key, scope: school, now: ms, attachments: parts) { _ throws(StoreError) in
            [.event(Event(child: child, date: date, body: .visit(v)))]
        }
    }

    func session(
        _ device: ChangeLog, key: DeviceKey, scope: ScopeID, relay: ChangeLog, conditions: LinkConditions
    ) throws -> SimulatedLink.Report {
        var i = try SyncEndpoint.make(
            role: .initiator, key: key, store: device, policy: SyncPolicy(grants: [relayKey.publicKey: .allScopes]),
            scopes: [.admin, scope], now: 0)
        var r = try SyncEndpoint.make(
            role: .responder, key: relayKey, store: relay, policy: SyncPolicy(grants: [key.publicKey: .allScopes]), now: 0)
        return SimulatedLink.run(initiator: &i, responder: &r, conditions: conditions)
    }

    func world() throws -> (admin: ChangeLog, teacher: ChangeLog, relay: ChangeLog) {
        let a = try device(admin)
        for (role, key, scopes) in [
            (Role.schoolAdmin, admin, [school]), (.teacher, teacher, [school]), (.teacher, gone, [school]),
            (.relay, relayKey, [school, schoolB]), (.districtAdmin, district, [school, schoolB]), (.teacher, teacherB, [schoolB]),
        ] {
            let cert = try Certificate.issue(
                by: authority, subject: key.publicKey, role: role, mayIssue: false, validFrom: t0, validUntil: t0 + 365 * day,
                name: "某老师", scopes: scopes)
            _ = try a.appendAuthored(by: admin, scope: .admin, payload: AdminPayload.certificate(cert).encoded, now: now)
        }
        try a.grantKeys(by: admin, scope: school, now: now)
        let t = try device(teacher)
        try copy(a, to: t)
        _ = try t.appendOperations(by: teacher, scope: school, now: now) { _ throws(StoreError) in
            [.set(kind: .child, record: child, field: "name", value: .text("王小明"), pred: [])]
        }
        let relay = try ChangeLog(
            inMemory: (), options: .init(merge: nil, authority: authority.publicKey, clock: { [now] in now + 3_600_000 }, witness: relayKey)
        )
        try copy(a, to: relay)
        return (a, t, relay)
    }

    @Test func aTwoMegabytePhotoReachesTheAdminOverTwoGAndResumesAfterACut() throws {
        let (a, t, relay) = try world()
        let file = photo(1)
        let record = try visit(file, on: t, by: teacher, at: now)
        let id = Blake2b.hash(file, length: 32)
        #expect(try t.attachmentState(id) == AttachmentState(held: 11, count: 11))
        // Cut after about a megabyte: the parts acknowledged stay on the relay.
        let cut = try session(
            t, key: teacher, scope: school, relay: relay,
            conditions: {
                var c = LinkConditions.edge
                c.cutAfterBytes = 1_100_000
                return c
            }())
        #expect(cut.cut)
        let stored = try relay.entries(after: 0, limit: 100_000).filter {
            $0.change.scope == school && $0.change.author == teacher.publicKey
        }
        #expect(stored.count >= 3 && stored.count < 12, "parts stored before the cut: \(stored.count)")
        let resumed = try session(t, key: teacher, scope: school, relay: relay, conditions: .edge)
        let summary = try #require(resumed.initiator).get()
        // The second session sends only what the relay lacks: the rest of the parts and the record.
        #expect(summary.sentChanges == 12 + 1 - stored.count)
        #expect(cut.bytesFromInitiator + resumed.bytesFromInitiator < Int(Double(file.count) * 1.25))
        print(
            "attachment over 2G (50 kbit/s, 300 ms): 2,000,000-byte photo, 11 parts; cut after \(stored.count) changes at "
                + "\(Int(cut.durationMs / 1000)) s, resumed in \(Int(resumed.durationMs / 1000)) s; "
                + "\(cut.bytesFromInitiator + resumed.bytesFromInitiator) bytes sent in all")
        // The same upload to a fresh relay, uncut.
        let fresh = try ChangeLog(
            inMemory: (), options: .init(merge: nil, authority: authority.publicKey, clock: { [now] in now + 3_600_000 }, witness: relayKey)
        )
        try copy(a, to: fresh)
        let whole = try session(t, key: teacher, scope: school, relay: fresh, conditions: .edge)
        #expect(try #require(whole.initiator).get().sentChanges >= 13, "the parts, the record, the name, and the first relay's receipts")
        print(
            "attachment over 2G, uncut: \(Int(whole.durationMs / 1000)) s, \(whole.bytesFromInitiator) bytes up, "
                + "\(whole.bytesFromResponder) down")
        // The relay holds ciphertext: no 64-byte run of the photo is in its log.
        let relayBytes = try relay.entries(after: 0, limit: 100_000).flatMap(\.change.encoded)
        for offset in stride(from: 0, to: file.count - 64, by: 250_000) {
            #expect(relayBytes.firstRange(of: file[offset..<(offset + 64)]) == nil)
        }
        // The admin syncs on a good link and opens the very file the record cites.
        _ = try session(a, key: admin, scope: school, relay: relay, conditions: .perfect)
        #expect(try a.attachmentState(id).complete)
        let opened = try #require(try a.attachment(prefix: Hex.encode(id).prefix(12).description))
        #expect(opened.bytes == file && opened.name == "家访照片.jpg")
        #expect(try a.contains(record.id))
        // A rebuild finds the parts again from the log alone.
        try a.rebuildViews()
        #expect(try a.attachmentState(id).complete)
    }

    @Test func aDeviceRotatedOutCannotOpenALaterPhotoAndATransferCarriesIt() throws {
        let (a, t, relay) = try world()
        let g = try device(gone)
        try copy(a, to: g)
        let before = photo(2, bytes: 300_000)
        _ = try visit(before, on: t, by: teacher, at: now)
        try copy(t, to: g)
        #expect(try g.attachmentState(Blake2b.hash(before, length: 32)).complete)
        // The phone is handed back: the admin records the departure and rotates; the next photo is sealed under the new key.
        try copy(t, to: a)
        try a.recordDeparture(of: gone.publicKey, from: school, at: now + 1, by: admin, now: now + 1)
        try a.grantKeys(by: admin, scope: school, rotate: true, now: now + 2)
        try copy(a, to: t)
        let after = photo(3, bytes: 300_000)
        _ = try visit(after, on: t, by: teacher, at: now + 3)
        try copy(t, to: g)
        try copy(t, to: relay)
        #expect(try g.attachmentState(Blake2b.hash(after, length: 32)).count == 0)
        #expect(try g.attachment(prefix: Hex.encode(Blake2b.hash(after, length: 32)).prefix(16).description) == nil)

        // 转学: the district admin hands the child to school B; its teacher opens both photos.
        let d = try device(district)
        try copy(a, to: d)
        try copy(t, to: d)
        try d.grantKeys(by: district, scope: schoolB, now: now + 4)
        try d.transferChild(child, from: school, to: schoolB, by: district, now: now + 5)
        try copy(d, to: relay)
        let b = try device(teacherB)
        _ = try session(b, key: teacherB, scope: schoolB, relay: relay, conditions: .perfect)
        for file in [before, after] {
            let opened = try b.attachment(prefix: Hex.encode(Blake2b.hash(file, length: 32)).prefix(16).description)
            #expect(opened?.bytes == file)
        }
    }

    /// 销号 with its signed statement: the admin's close-out cites the file, which travels with it and
    /// is listed for the child (`closeOutEvidence`) once the parts are in.
    @Test func aCloseOutsSignedStatementTravelsWithIt() throws {
        let (a, t, _) = try world()
        // The teacher marks the child a suspected dropout: it is on the ledger.
        let today = try SimpleDate(unixMilliseconds: now)
        _ = try t.appendOperations(by: teacher, scope: school, now: now) { s throws(StoreError) in
            [
                .set(
                    kind: .child, record: child, field: "status",
                    value: .status(StatusFact(status: .suspectedDropout, date: today, reason: "连续旷课")),
                    pred: try s.liveOps(kind: .child, record: child, field: "status"))
            ]
        }
        try copy(t, to: a)
        let statement = photo(5, bytes: 250_000)
        let hex = Hex.encode(Blake2b.hash(statement, length: 32))
        let parts = try AttachmentPart.split(statement, name: "返校承诺书.pdf", child: child)
        _ = try a.appendOperations(by: admin, scope: school, now: now, attachments: parts) { s throws(StoreError) in
            let openers = try s.openOpeners(child: child, ledger: .suspectedDropout)
            #expect(!openers.isEmpty, "the absences opened an entry")
            return [.closeOut(child: child, ledger: .suspectedDropout, closes: openers, evidence: [hex], note: "已返校")]
        }
        try copy(a, to: t)
        #expect(try t.closeOutEvidence(child: child) == [hex])
        #expect(try t.attachment(prefix: String(hex.prefix(16)))?.bytes == statement)
    }

    @Test func partsAreStrictAndAnAlteredFileIsRefused() throws {
        let file = photo(4, bytes: AttachmentPart.partBytes + 10)
        let parts = try AttachmentPart.split(file, name: "签字.pdf", child: child)
        #expect(parts.count == 2 && parts[0].name == "签字.pdf" && parts[1].name.isEmpty)
        #expect(try parts.map { try AttachmentPart(bytes: $0.encoded) } == parts)
        #expect(try AttachmentPart.assemble(parts.reversed()).bytes == file)
        #expect(throws: PrivacyError.malformed("parts missing")) { try AttachmentPart.assemble([parts[1]]) }
        var bad = parts[1].encoded
        bad[bad.count - 1] ^= 1
        #expect(throws: PrivacyError.tampered) { try AttachmentPart.assemble([parts[0], try AttachmentPart(bytes: bad)]) }
        // A middle part shorter than a full part, an index past the count, and a file over 8 MiB are refused.
        #expect(throws: PrivacyError.self) { try AttachmentPart(bytes: Array(parts[0].encoded.dropLast())) }
        var past = parts[1].encoded
        past[49] = 5
        #expect(throws: PrivacyError.self) { try AttachmentPart(bytes: past) }
        #expect(throws: PrivacyError.self) {
            try AttachmentPart.split([UInt8](repeating: 1, count: AttachmentPart.maxBytes + 1), name: "x", child: child)
        }
    }
}

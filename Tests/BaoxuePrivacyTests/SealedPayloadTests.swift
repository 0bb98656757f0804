import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueSodium
import BaoxueTesting
import BaoxueTrust
import Testing

@Suite struct SealedPayloadTests {
    let scope = try! ScopeID("school-001")
    let child = RecordID.derived("child-1")
    let author = Fixtures.key(1).publicKey

    func namePayload(_ name: String, child: RecordID? = nil) -> RecordPayload {
        RecordPayload(ops: [.set(kind: .child, record: child ?? self.child, field: "name", value: .text(name), pred: [])])
    }

    func sealed(_ p: RecordPayload, key: ScopeKey, seq: UInt64 = 7) throws -> [UInt8] {
        try SealedPayload.seal(p, encoded: try p.encoded(), key: key, author: author, seq: seq)
    }

    @Test func opensWithTheScopeKeyAndHidesTheName() throws {
        let key = ScopeKey.generate(scope: scope)
        let p = namePayload("王小明")
        let bytes = try sealed(p, key: key)
        #expect(SealedPayload.isSealed(bytes))
        #expect(bytes.firstRange(of: Array("王小明".utf8)) == nil)
        #expect(bytes.firstRange(of: Array(child.hex.utf8)) == nil)
        let parsed = try SealedPayload(bytes: bytes)
        #expect(parsed.operations.operations == [.editRecord])
        #expect(parsed.scopeKeyID == key.id)
        #expect(parsed.contentKeyID == key.contentKey(child: child).id)
        #expect(try parsed.open(with: key, author: author, seq: 7) == p)
    }

    @Test func anotherKeyAuthorOrSeqCannotOpenIt() throws {
        let key = ScopeKey.generate(scope: scope)
        let parsed = try SealedPayload(bytes: try sealed(namePayload("王小明"), key: key))
        #expect(throws: PrivacyError.noKey) { try parsed.open(with: ScopeKey.generate(scope: scope), author: author, seq: 7) }
        // Moved to another change: the AD no longer matches.
        #expect(throws: PrivacyError.tampered) { try parsed.open(with: key, author: Fixtures.key(2).publicKey, seq: 7) }
        #expect(throws: PrivacyError.tampered) { try parsed.open(with: key, author: author, seq: 8) }
    }

    @Test func everyFlippedByteIsCaught() throws {
        let key = ScopeKey.generate(scope: scope)
        let bytes = try sealed(namePayload("王小明"), key: key)
        for i in 3..<bytes.count {
            var bad = bytes
            bad[i] ^= 0x01
            guard let parsed = try? SealedPayload(bytes: bad) else { continue }  // an unknown operation bit
            #expect(throws: PrivacyError.self, "byte \(i)") { try parsed.open(with: key, author: author, seq: 7) }
        }
        #expect(throws: PrivacyError.malformed("too short")) { try SealedPayload(bytes: Array(bytes.prefix(60))) }
    }

    @Test func aContentKeyOpensOnlyItsChild() throws {
        let key = ScopeKey.generate(scope: scope)
        let other = RecordID.derived("child-2")
        let mine = try SealedPayload(bytes: try sealed(namePayload("王小明"), key: key))
        let theirs = try SealedPayload(bytes: try sealed(namePayload("李四", child: other), key: key))
        let granted = key.contentKey(child: child)
        #expect(try mine.open(with: granted, author: author, seq: 7, scope: scope) == namePayload("王小明"))
        #expect(throws: PrivacyError.tampered) { try theirs.open(with: granted, author: author, seq: 7, scope: scope) }
        // Two children in one change: under the scope's content key, not either child's.
        let both = RecordPayload(ops: namePayload("王小明").ops + namePayload("李四", child: other).ops)
        #expect(both.soleChild == nil)
        #expect(try SealedPayload(bytes: try sealed(both, key: key)).contentKeyID == key.contentKey(child: nil).id)
    }

    @Test func theDeclaredOperationsBindWhatTheReaderAccepts() throws {
        let key = ScopeKey.generate(scope: scope)
        let closeOut = RecordPayload(ops: [
            .closeOut(
                child: child, ledger: .suspectedDropout,
                closes: [OpID(change: try ChangeID(bytes: Array(repeating: 9, count: 32)), index: 0)],
                evidence: [String(repeating: "a", count: 64)], note: "已返校")
        ])
        let bytes = try sealed(closeOut, key: key)
        #expect(try SealedPayload(bytes: bytes).operations.operations == [.closeOut])
        // A header edited to declare only `editRecord` no longer opens (the header is AD).
        var lying = bytes
        let edit = DeclaredOperations([.editRecord]).mask
        lying[3] = UInt8(edit >> 8)
        lying[4] = UInt8(edit & 0xff)
        #expect(throws: PrivacyError.tampered) { try SealedPayload(bytes: lying).open(with: key, author: author, seq: 7) }
        #expect(throws: PrivacyError.malformed("unknown operation bits 65535")) { try DeclaredOperations(mask: 0xFFFF) }
        #expect(throws: PrivacyError.undeclaredOperation("closeOut")) { try DeclaredOperations([.editRecord]).check(covers: closeOut) }
    }

    @Test func aMemberGrantOpensOnlyForItsRecipients() throws {
        let key = ScopeKey.generate(scope: scope)
        let members = [Fixtures.key(1), Fixtures.key(2)]
        let grant = try MemberGrant.make(key, epoch: 3, to: Set(members.map(\.publicKey)))
        let parsed = try MemberGrant(bytes: grant.encoded)
        #expect(parsed == grant)
        #expect(parsed.epoch == 3)
        for m in members { #expect(try parsed.open(as: m, scope: scope) == key) }
        #expect(try parsed.open(as: Fixtures.key(3), scope: scope) == nil)
        // The same grant replayed into another scope: the key id no longer matches.
        #expect(throws: PrivacyError.tampered) { try parsed.open(as: members[0], scope: try ScopeID("school-002")) }
        #expect(throws: PrivacyError.self) { try MemberGrant(bytes: Array(grant.encoded.dropLast())) }
        var swapped = grant.encoded
        swapped.replaceSubrange(25..<57, with: Fixtures.key(3).publicKey.bytes)  // a recipient's key replaced
        #expect(throws: PrivacyError.self) { _ = try MemberGrant(bytes: swapped).open(as: Fixtures.key(3), scope: scope) }
    }
}

/// A transferred child's keys, handed to the receiving school's members: they open that
/// child's old changes of every epoch, and no other child's.
@Suite struct ChildGrantTests {
    @Test func theReceivingSchoolReadsTheChildsHistoryAndNothingElse() throws {
        let old = try ScopeID("丰南区/东镇/甲小学")
        let author = Fixtures.key(1).publicKey
        let child = RecordID.derived("moving")
        let other = RecordID.derived("staying")
        let epochs = [ScopeKey.generate(scope: old), ScopeKey.generate(scope: old)]
        func sealed(_ c: RecordID, _ key: ScopeKey, seq: UInt64) throws -> SealedPayload {
            let p = RecordPayload(ops: [.set(kind: .child, record: c, field: "name", value: .text("王小明"), pred: [])])
            return try SealedPayload(bytes: try SealedPayload.seal(p, encoded: try p.encoded(), key: key, author: author, seq: seq))
        }
        let history = try epochs.enumerated().map { try sealed(child, $0.element, seq: UInt64($0.offset + 1)) }
        let neighbour = try sealed(other, epochs[1], seq: 9)
        let newTeacher = Fixtures.key(7)
        let grant = try ChildGrant.make(
            source: old, child: child, keys: epochs.map { $0.contentKey(child: child) },
            to: [newTeacher.publicKey, Fixtures.key(8).publicKey])
        let parsed = try ChildGrant(bytes: grant.encoded)
        #expect(parsed == grant && parsed.child == child && parsed.source == old)
        let keys = try #require(try parsed.open(as: newTeacher))
        for (i, change) in history.enumerated() {
            let key = try #require(keys.first { $0.id == change.contentKeyID })
            #expect(try change.open(with: key, author: author, seq: UInt64(i + 1), scope: old).soleChild == child)
        }
        #expect(!keys.contains { $0.id == neighbour.contentKeyID })
        #expect(try parsed.open(as: Fixtures.key(9)) == nil)
        #expect(throws: PrivacyError.self) { try ChildGrant(bytes: Array(grant.encoded.dropLast())) }
    }
}

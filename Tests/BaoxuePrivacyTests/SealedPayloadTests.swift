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
        // Nothing stable per child in clear: neither the child id nor its content key id.
        #expect(bytes.firstRange(of: try Hex.decode(child.hex)) == nil)
        #expect(bytes.firstRange(of: key.contentKey(child: child).id) == nil)
        let parsed = try SealedPayload(bytes: bytes)
        #expect(parsed.declared == .field)
        #expect(parsed.scopeKeyID == key.id)
        #expect(try parsed.open(with: key, author: author, seq: 7) == .record(p))
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
            guard let parsed = try? SealedPayload(bytes: bad) else { continue }  // an unknown class
            #expect(throws: PrivacyError.self, "byte \(i)") { try parsed.open(with: key, author: author, seq: 7) }
        }
        #expect(throws: PrivacyError.malformed("too short")) { try SealedPayload(bytes: Array(bytes.prefix(60))) }
        #expect(throws: PrivacyError.malformed("unknown class 4")) {
            var bad = bytes
            bad[3] = 4
            _ = try SealedPayload(bytes: bad)
        }
    }

    @Test func aContentKeyOpensOnlyItsChild() throws {
        let key = ScopeKey.generate(scope: scope)
        let other = RecordID.derived("child-2")
        let mine = try SealedPayload(bytes: try sealed(namePayload("王小明"), key: key))
        let theirs = try SealedPayload(bytes: try sealed(namePayload("李四", child: other), key: key))
        let granted = key.contentKey(child: child)
        #expect(try mine.open(with: granted, author: author, seq: 7, scope: scope) == .record(namePayload("王小明")))
        #expect(throws: PrivacyError.tampered) { try theirs.open(with: granted, author: author, seq: 7, scope: scope) }
        // Two children in one change: under the scope's content key, not either child's.
        let both = RecordPayload(ops: namePayload("王小明").ops + namePayload("李四", child: other).ops)
        #expect(both.soleChild == nil)
        let shared = try SealedPayload(bytes: try sealed(both, key: key))
        #expect(try shared.open(with: key.contentKey(child: nil), author: author, seq: 7, scope: scope) == .record(both))
        #expect(throws: PrivacyError.tampered) { try shared.open(with: granted, author: author, seq: 7, scope: scope) }
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
        #expect(try SealedPayload(bytes: bytes).declared == .admin)
        // A header edited to declare the field class no longer opens (the header is AD).
        var lying = bytes
        lying[3] = DeclaredClass.field.rawValue
        #expect(throws: PrivacyError.tampered) { try SealedPayload(bytes: lying).open(with: key, author: author, seq: 7) }
        // A writer cannot declare less than its ops need; one declaring more than it needs is read as usual.
        let visit = namePayload("王小明")
        let declaredHigh = try SealedPayload.seal(visit, encoded: try visit.encoded(), key: key, author: author, seq: 7, declaring: .admin)
        #expect(try SealedPayload(bytes: declaredHigh).declared == .admin)
        #expect(try SealedPayload(bytes: declaredHigh).open(with: key, author: author, seq: 7) == .record(visit))
        let declaredLow = try SealedPayload.seal(
            closeOut, encoded: try closeOut.encoded(), key: key, author: author, seq: 7, declaring: .field)
        #expect(try SealedPayload(bytes: declaredLow).declared == .admin)
        #expect(throws: PrivacyError.undeclaredOperation("closeOut")) { try DeclaredClass.school.check(covers: closeOut) }
    }

    /// Payloads of different lengths under one 128-byte step seal to the same length; the reader refuses
    /// padding that is not the canonical length or not zero.
    @Test func paddingHidesSmallDifferencesAndIsCanonical() throws {
        let key = ScopeKey.generate(scope: scope)
        let short = try sealed(namePayload("王"), key: key)
        let long = try sealed(namePayload(String(repeating: "王", count: 20)), key: key)
        #expect(short.count == long.count)
        #expect(short.count == 44 + 32 + 128 + 16)
        let longer = try sealed(namePayload(String(repeating: "王", count: 100)), key: key)
        #expect(longer.count == 44 + 32 + 384 + 16)
        #expect(SealedPadding.length(for: 4097) == 4352 && SealedPadding.length(for: 100_000) == 100_352)
        for n in [1, 255, 256, 300, 4096, 4097, 9999, 70_000, 1_000_000] {
            let padded = SealedPadding.length(for: n)
            #expect(padded >= n && Double(padded - n) <= max(127, 0.12 * Double(n)), "\(n)")
        }
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

/// A transferred child's history: the old school's changes and the child's keys of every epoch,
/// sealed for the receiving school; the keys open that child's changes, and no other child's.
@Suite struct TransferBundleTests {
    @Test func theReceivingSchoolReadsTheChildsHistoryAndNothingElse() throws {
        let old = try ScopeID("丰南区/东镇/甲小学")
        let new = try ScopeID("丰南区/西镇/乙小学")
        let teacher = Fixtures.key(1)
        let child = RecordID.derived("moving")
        let other = RecordID.derived("staying")
        let epochs = [ScopeKey.generate(scope: old), ScopeKey.generate(scope: old)]
        func change(_ c: RecordID, _ key: ScopeKey, seq: UInt64) throws -> Change {
            let p = RecordPayload(ops: [.set(kind: .child, record: c, field: "name", value: .text("王小明"), pred: [])])
            let sealed = try SealedPayload.seal(p, encoded: try p.encoded(), key: key, author: teacher.publicKey, seq: seq)
            return try Change.sign(
                by: teacher, seq: seq, timestamp: try HLCTimestamp(milliseconds: 1_764_000_000_000 + seq, counter: 0), scope: old,
                deps: [], payload: sealed)
        }
        let history = try epochs.enumerated().map { try change(child, $0.element, seq: UInt64($0.offset + 1)) }
        let neighbour = try change(other, epochs[1], seq: 9)
        let keys = epochs.map { $0.contentKey(child: child) }
        let bundle = try TransferBundle(source: old, child: child, keys: keys, changes: history)
        let parsed = try TransferBundle(bytes: bundle.encoded)
        #expect(parsed == bundle)
        let receiving = ScopeKey.generate(scope: new)
        let admin = Fixtures.key(2).publicKey
        let sealed = try SealedPayload.seal(bundle, key: receiving, author: admin, seq: 4)
        #expect(try SealedPayload(bytes: sealed).declared == .admin)
        #expect(sealed.firstRange(of: try Hex.decode(child.hex)) == nil)
        #expect(try SealedPayload(bytes: sealed).open(with: receiving, author: admin, seq: 4) == .transfer(bundle))
        // Under the child's key in the new school too: a later transfer onwards carries it with the child.
        #expect(
            try SealedPayload(bytes: sealed).open(with: receiving.contentKey(child: child), author: admin, seq: 4, scope: new)
                == .transfer(bundle))
        for c in history {
            let s = try SealedPayload(bytes: c.payload)
            #expect(keys.contains { (try? s.open(with: $0, author: c.author, seq: c.seq, scope: old)) != nil })
        }
        let theirs = try SealedPayload(bytes: neighbour.payload)
        #expect(!keys.contains { (try? theirs.open(with: $0, author: teacher.publicKey, seq: 9, scope: old)) != nil })
        // A change of another school, truncated bytes and trailing bytes are refused.
        #expect(throws: PrivacyError.self) { try TransferBundle(source: new, child: child, keys: keys, changes: history) }
        #expect(throws: PrivacyError.self) { try TransferBundle(bytes: Array(bundle.encoded.dropLast())) }
        #expect(throws: PrivacyError.malformed("transfer: trailing bytes")) { try TransferBundle(bytes: bundle.encoded + [0]) }
    }
}

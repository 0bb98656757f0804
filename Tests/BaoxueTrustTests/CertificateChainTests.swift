import BaoxueCore
import BaoxueRecords
import BaoxueSodium
import BaoxueTesting
import BaoxueTrust
import Testing

/// Certificates and their chains: each attack on the chain is refused for its own reason.
@Suite struct CertificateChainTests {
    let authority = Fixtures.key(0xAA)
    let relay = Fixtures.key(0xBB)
    let teacher = Fixtures.key(0xCC)
    let day: UInt64 = 86_400_000
    let t0: UInt64 = 1_764_000_000_000
    func scope(_ s: String) -> ScopeID { try! ScopeID(s) }

    func cert(
        by issuer: DeviceKey, for subject: DeviceKey, role: Role = .teacher, mayIssue: Bool = false,
        scopes: [String] = ["丰南区/东镇/示例小学"], from: UInt64? = nil, days: UInt64 = 365
    ) throws -> Certificate {
        try Certificate.issue(
            by: issuer, subject: subject.publicKey, role: role, mayIssue: mayIssue,
            validFrom: from ?? t0, validUntil: (from ?? t0) + days * day, name: "张老师", scopes: scopes.map(scope))
    }

    @Test func aCertificateRoundTripsCanonicallyAndATamperedOneFails() throws {
        let c = try cert(by: authority, for: teacher)
        #expect(try Certificate.decode(c.encoded) == c)
        #expect(c.signatureVerifies)
        // Promote oneself to school admin: still parses, no longer verifies, and the chain says so.
        var bytes = c.encoded
        bytes[68] = Role.schoolAdmin.rawValue
        let promoted = try Certificate.decode(bytes)
        #expect(promoted.role == .schoolAdmin && !promoted.signatureVerifies)
        #expect(throws: TrustError.badSignature) { try CertificateChain(authority: authority.publicKey).validate(promoted, at: t0 + day) }
        var trailing = c.encoded
        trailing.append(0)
        #expect(throws: TrustError.self) { try Certificate.decode(trailing) }
        // Scopes out of order are not canonical even with a valid signature over them.
        #expect(throws: TrustError.self) { try Certificate.decode(Array(c.encoded.prefix(40))) }
    }

    @Test func theAuthoritysCertificatesAreTrustedOnlyInsideTheirWindow() throws {
        let chain = CertificateChain(authority: authority.publicKey)
        let c = try cert(by: authority, for: teacher)
        try chain.validate(c, at: t0 + day)
        #expect(throws: TrustError.notValidAt(milliseconds: t0 + 400 * day)) { try chain.validate(c, at: t0 + 400 * day) }
        #expect(throws: TrustError.notValidAt(milliseconds: t0 - 1)) { try chain.validate(c, at: t0 - 1) }
    }

    @Test func selfSignedAndUnknownIssuersAreRefused() throws {
        let chain = CertificateChain(authority: authority.publicKey)
        #expect(throws: TrustError.selfSigned) { try chain.validate(try cert(by: teacher, for: teacher), at: t0 + day) }
        #expect(throws: TrustError.unknownIssuer(relay.publicKey)) { try chain.validate(try cert(by: relay, for: teacher), at: t0 + day) }
    }

    @Test func aTownshipDelegationIssuesInsideItsTownshipOnly() throws {
        var chain = CertificateChain(authority: authority.publicKey)
        let delegation = try cert(by: authority, for: relay, role: .relay, mayIssue: true, scopes: ["丰南区/东镇"])
        chain.learn(delegation: delegation)
        try chain.validate(delegation, at: t0 + day)
        try chain.validate(try cert(by: relay, for: teacher), at: t0 + day)
        #expect(throws: TrustError.delegationWidens("scope 丰南区/西镇/某小学 is outside the delegation's scopes")) {
            try chain.validate(try cert(by: relay, for: teacher, scopes: ["丰南区/西镇/某小学"]), at: t0 + day)
        }
        #expect(throws: TrustError.delegationWidens("scope 丰南区/东镇2 is outside the delegation's scopes")) {
            try chain.validate(try cert(by: relay, for: teacher, scopes: ["丰南区/东镇2"]), at: t0 + day)
        }
        #expect(throws: TrustError.delegationWidens("a delegation cannot grant the district-admin role")) {
            try chain.validate(try cert(by: relay, for: teacher, role: .districtAdmin, scopes: ["丰南区/东镇"]), at: t0 + day)
        }
        #expect(throws: TrustError.delegationWidens("a delegation cannot grant the power to issue")) {
            try chain.validate(try cert(by: relay, for: teacher, mayIssue: true, scopes: ["丰南区/东镇"]), at: t0 + day)
        }
        #expect(throws: TrustError.delegationWidens("validity outside the delegation's")) {
            try chain.validate(try cert(by: relay, for: teacher, days: 500), at: t0 + day)
        }
    }

    @Test func aDelegationNotFromTheAuthorityIsWorthNothing() throws {
        var chain = CertificateChain(authority: authority.publicKey)
        let rogue = Fixtures.key(0xDD)
        chain.learn(delegation: try cert(by: rogue, for: relay, role: .relay, mayIssue: true, scopes: ["丰南区"]))
        #expect(throws: TrustError.unknownIssuer(rogue.publicKey)) { try chain.validate(try cert(by: relay, for: teacher), at: t0 + day) }
    }
}

/// The role table, enforced per operation and per scope.
@Suite struct PermissionTests {
    func cert(_ role: Role, _ scopes: [String]) throws -> Certificate {
        try Certificate.issue(
            by: Fixtures.key(0xAA), subject: Fixtures.key(1).publicKey, role: role,
            validFrom: 0, validUntil: 1, name: "x", scopes: scopes.map { try ScopeID($0) })
    }

    @Test func onlySchoolAndDistrictAdminsCloseOut() throws {
        let child = RecordID.derived("child-1")
        let close = RecordOp.closeOut(child: child, ledger: .suspectedDropout, closes: [], evidence: ["sha256:00"], note: "已返校")
        let school = try ScopeID("丰南区/东镇/示例小学")
        for role in Role.allCases {
            let allowed = (try? Permissions.check([close], scope: school, under: try cert(role, ["丰南区/东镇/示例小学"]))) != nil
            #expect(allowed == (role == .schoolAdmin || role == .districtAdmin), "\(role)")
        }
        #expect(throws: TrustError.roleForbids(role: .liaison, operation: .closeOut)) {
            try Permissions.check([close], scope: school, under: try cert(.liaison, ["丰南区/东镇"]))
        }
        #expect(throws: TrustError.outsideScope(school)) {
            try Permissions.check([close], scope: school, under: try cert(.schoolAdmin, ["丰南区/西镇"]))
        }
    }
}

/// The passphrase box that guards the authority key.
@Suite struct PasswordBoxTests {
    @Test func theRightPassphraseOpensItAndNothingElseDoes() throws {
        let salt = [UInt8](repeating: 9, count: PasswordBox.saltLength)
        let nonce = [UInt8](repeating: 3, count: PasswordBox.nonceLength)
        let key = try PasswordBox.deriveKey(passphrase: Array("丰南教育局-2026".utf8), salt: salt, cost: .interactive)
        let secret = [UInt8](repeating: 0x5A, count: 32)
        let box = try PasswordBox.seal(secret, key: key, nonce: nonce)
        #expect(PasswordBox.open(box, key: key, nonce: nonce) == secret)
        let wrong = try PasswordBox.deriveKey(passphrase: Array("丰南教育局-2025".utf8), salt: salt, cost: .interactive)
        #expect(PasswordBox.open(box, key: wrong, nonce: nonce) == nil)
        var altered = box
        altered[0] ^= 1
        #expect(PasswordBox.open(altered, key: key, nonce: nonce) == nil)
        // Same passphrase, other salt: another key.
        #expect(
            try PasswordBox.deriveKey(passphrase: Array("丰南教育局-2026".utf8), salt: [UInt8](repeating: 8, count: 16), cost: .interactive)
                != key)
    }
}

import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueTrust
import Foundation

/// Writes `Protocol/vectors/privacy.json`: key derivations and ids, sealed
/// payloads with fixed nonces (byte-exact), and a member grant (randomised by
/// `crypto_box_seal`, so checked by opening it, not by re-making it).
enum PrivacyVectorMaker {
    static func make() throws -> String {
        let scope = try ScopeID("丰南区/东镇/示例小学")
        let key = try ScopeKey(scope: scope, bytes: (0..<32).map { UInt8($0) })
        let author = try DeviceKey(seed: [UInt8](repeating: 0x11, count: 32))
        let child = try RecordID(hex: "00112233445566778899aabbccddeeff")
        let other = try RecordID(hex: "ffeeddccbbaa99887766554433221100")
        let date = try SimpleDate("2026-11-20")
        let payloads: [(String, RecordPayload, UInt8)] = [
            (
                "one child: sealed under K(child)",
                RecordPayload(ops: [
                    .set(kind: .child, record: child, field: "name", value: .text("王小明"), pred: []),
                    .event(
                        Event(
                            child: child, date: date,
                            body: .visit(
                                Visit(
                                    participants: ["张老师"], householdFound: true, childSeen: true,
                                    spokeTo: "母亲", agreed: "下周一返校")))),
                ]), 0x24
            ),
            (
                "two children: sealed under K(none)",
                RecordPayload(ops: [
                    .set(kind: .child, record: child, field: "grade", value: .number(3), pred: []),
                    .set(kind: .child, record: other, field: "grade", value: .number(4), pred: []),
                ]), 0x42
            ),
        ]
        var sealed: [[String: Any]] = []
        for (i, (note, payload, nonceByte)) in payloads.enumerated() {
            let encoded = try payload.encoded()
            let nonce = [UInt8](repeating: nonceByte, count: 24)
            let bytes = try SealedPayload.seal(
                payload, encoded: encoded, key: key, author: author.publicKey, seq: UInt64(7 + i), nonce: nonce)
            sealed.append([
                "note": note, "author": author.publicKey.hex, "seq": 7 + i, "scope": scope.value, "nonce": Hex.encode(nonce),
                "payload": Hex.encode(encoded), "operations": Int(try SealedPayload(bytes: bytes).operations.mask),
                "content_key_id": Hex.encode(key.contentKey(child: payload.soleChild).id), "sealed": Hex.encode(bytes),
            ])
        }
        let recipients = [UInt8(0x21), 0x22, 0x23].map { try! DeviceKey(seed: [UInt8](repeating: $0, count: 32)) }
        let grant = try MemberGrant.make(key, epoch: 1, to: Set(recipients.map(\.publicKey)))
        let doc: [String: Any] = [
            "about":
                "Protocol/privacy.md. Keys are test keys. Sealed payloads are byte-exact for the given nonce; "
                    + "the grant is opened, not re-made.",
            "scope_key": [
                "scope": scope.value, "key": Hex.encode(key.bytes), "key_id": Hex.encode(key.id),
                "content_keys": [
                    [
                        "child": child.hex, "key": Hex.encode(key.contentKey(child: child).bytes),
                        "id": Hex.encode(key.contentKey(child: child).id),
                    ],
                    [
                        "child": NSNull(), "key": Hex.encode(key.contentKey(child: nil).bytes),
                        "id": Hex.encode(key.contentKey(child: nil).id),
                    ],
                ],
            ],
            "sealed_payloads": sealed,
            "operation_bits": Dictionary(uniqueKeysWithValues: Operation.allCases.map { ($0.rawValue, Int($0.bit)) }),
            "member_grant": [
                "scope": scope.value, "epoch": 1, "recipient_seeds": recipients.map { Hex.encode($0.seed) },
                "opens_to": Hex.encode(key.bytes), "encoded": Hex.encode(grant.encoded),
            ],
        ]
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

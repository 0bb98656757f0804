import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueTrust
import Foundation

/// Writes `Protocol/vectors/privacy.json`: key derivations and ids, sealed
/// payloads and a sealed transfer with fixed nonces (byte-exact), the padding
/// lengths, the declared classes, an attachment's sealed part, and a member grant (randomised by
/// `crypto_box_seal`, so checked by opening it, not by re-making it).
enum PrivacyVectorMaker {
    static func hex(_ any: Any?) throws -> [UInt8] { try Hex.decode(any as? String ?? "") }

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
                "payload": Hex.encode(encoded), "declared": Int(try SealedPayload(bytes: bytes).declared.rawValue),
                "content_key_id": Hex.encode(key.contentKey(child: payload.soleChild).id), "sealed": Hex.encode(bytes),
            ])
        }
        // A transfer into another school of the first payload's change, sealed under the new school's key.
        let receiving = try ScopeKey(scope: try ScopeID("丰南区/西镇/乙小学"), bytes: (0..<32).map { UInt8(0x80 + $0) })
        let embedded = try Change.sign(
            by: author, seq: 7, timestamp: try HLCTimestamp(milliseconds: 1_764_000_000_000, counter: 0), scope: scope, deps: [],
            payload: try hex(sealed[0]["sealed"]))
        let bundle = try TransferBundle(source: scope, child: child, keys: [key.contentKey(child: child)], changes: [embedded])
        let admin = try DeviceKey(seed: [UInt8](repeating: 0x33, count: 32))
        let transferNonce = [UInt8](repeating: 0x5A, count: 24)
        let transfer: [String: Any] = [
            "scope_key": Hex.encode(receiving.bytes), "scope": receiving.scope.value, "author": admin.publicKey.hex, "seq": 3,
            "nonce": Hex.encode(transferNonce), "bundle": Hex.encode(bundle.encoded), "embedded_change": Hex.encode(embedded.encoded),
            "sealed": Hex.encode(try SealedPayload.seal(bundle, key: receiving, author: admin.publicKey, seq: 3, nonce: transferNonce)),
        ]
        let recipients = [UInt8(0x21), 0x22, 0x23].map { try! DeviceKey(seed: [UInt8](repeating: $0, count: 32)) }
        let grant = try MemberGrant.make(key, epoch: 1, to: Set(recipients.map(\.publicKey)))
        // One attachment of two parts (a 200,000-byte file), its first part sealed under the child's key.
        let file = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let parts = try AttachmentPart.split(file, name: "家访照片.jpg", child: child)
        let partNonce = [UInt8](repeating: 0x77, count: 24)
        let attachment: [String: Any] = [
            "file_blake2b_256": Hex.encode(parts[0].attachment), "file_length": file.count, "file_pattern": "byte i = (31 i + 7) mod 256",
            "name": "家访照片.jpg", "part_bytes": AttachmentPart.partBytes, "parts": parts.count,
            "part0": Hex.encode(parts[0].encoded).prefix(256).description + "…", "part1_length": parts[1].encoded.count,
            "author": author.publicKey.hex, "seq": 9, "nonce": Hex.encode(partNonce), "declared": 2,
            "sealed_part1": Hex.encode(
                try SealedPayload.seal(parts[1], key: key, author: author.publicKey, seq: 9, declaring: .school, nonce: partNonce)),
        ]
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
            "transfer": transfer,
            "attachment": attachment,
            "declared_classes": Dictionary(
                uniqueKeysWithValues: DeclaredClass.allCases.map { (String($0.rawValue), $0.operations.map(\.rawValue)) }),
            "padded_lengths": [1, 255, 256, 257, 1000, 4096, 4097, 5000, 65_536, 100_000].map { [$0, SealedPadding.length(for: $0)] },
            "member_grant": [
                "scope": scope.value, "epoch": 1, "recipient_seeds": recipients.map { Hex.encode($0.seed) },
                "opens_to": Hex.encode(key.bytes), "encoded": Hex.encode(grant.encoded),
            ],
        ]
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

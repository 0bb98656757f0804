import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTransport
import Foundation

/// Writes `Protocol/vectors/sync.json`: fingerprints, one encoding of every
/// message, refused messages, and a whole recorded session another
/// implementation can replay byte for byte.
enum SyncVectorMaker {
    static func hex(_ b: [UInt8]) -> String { Hex.encode(b) }

    static func key(_ byte: UInt8) -> DeviceKey { try! DeviceKey(seed: [UInt8](repeating: byte, count: 32)) }

    static func chain(_ k: DeviceKey, count: Int, scope: String, startMs: UInt64) -> [Change] {
        var out: [Change] = []
        var deps: [ChangeID] = []
        for seq in 1...UInt64(count) {
            let c = try! Change.sign(
                by: k, seq: seq, timestamp: try! HLCTimestamp(milliseconds: startMs + seq * 1000, counter: 0),
                scope: try! ScopeID(scope), deps: deps, payload: Array("visit \(seq)".utf8))
            out.append(c)
            deps = [c.id]
        }
        return out
    }

    static func fingerprints() -> [[String: Any]] {
        let ids: [[UInt8]] = [
            [UInt8](repeating: 0xFF, count: 32),
            [UInt8](repeating: 0x01, count: 32),
            (0..<32).map { UInt8($0) },
        ]
        var out: [[String: Any]] = []
        for n in 0...ids.count {
            let items = ids.prefix(n).enumerated().map {
                SyncItem(timestamp: UInt64($0.offset + 1) << 16, id: try! ChangeID(bytes: $0.element))
            }
            out.append(["ids": items.map { hex($0.idBytes) }, "fingerprint": hex(Reconciler.fingerprint(of: items))])
        }
        return out
    }

    static func messages() -> [[String: Any]] {
        let id = ShortID(try! ChangeID(bytes: [UInt8](repeating: 7, count: 32)))
        let change = chain(key(0x11), count: 1, scope: "school-001", startMs: 1_764_000_000_000)[0]
        let samples: [(String, SyncMessage)] = [
            ("hello", .hello(scopes: [try! ScopeID("school-001"), try! ScopeID("丰南区-示例小学")])),
            ("accept", .accept([true, false])),
            ("reconcile_done", .reconcile(scope: 1, ranges: [])),
            (
                "reconcile_all_modes",
                .reconcile(
                    scope: 0,
                    ranges: allModes)
            ),
            ("changes", .changes(batch: 3, encoded: [change.encoded])),
            ("ack", .ack(batch: 300)),
            ("done", .done),
            ("abort", .abort(code: 9, reason: "unsolicited_change")),
            ("refused", .refused(batch: 300, code: 19, reason: "over_limit: disk_full")),
            ("enroll", .desk(.enroll(request: [0x42, 0x52, 0x03, 0x01]))),
            ("enrollment_waiting", .desk(.enrollment(.waiting))),
            (
                "enrollment_certified",
                .desk(
                    .enrollment(
                        .certified(
                            certificates: [[0x42, 0x43], [0x42, 0x43, 0x02]], sealedRegistryKey: [UInt8](repeating: 0x5A, count: 80))))
            ),
            ("enrollment_rejected", .desk(.enrollment(.rejected(reason: "不是本校教师")))),
            ("pending", .desk(.pending)),
            ("requests", .desk(.requests([.init(receivedAt: 1_764_000_000_000, request: [0x42, 0x52, 0x03, 0x01])]))),
            ("status", .desk(.status)),
            (
                "seen",
                .desk(
                    .seen([
                        .init(
                            key: try! PublicKey(bytes: [UInt8](repeating: 0x11, count: 32)), lastSeen: 1_764_000_000_000, behind: 300,
                            oldestUnseen: 1_763_999_000_000)
                    ]))
            ),
            (
                "decide",
                .desk(.decide(subject: try! PublicKey(bytes: [UInt8](repeating: 0x11, count: 32)), answer: .rejected(reason: "重复申请")))
            ),
        ]
        return samples.map { name, message in
            var out: [String: Any] = ["name": name, "hex": hex(message.encoded())]
            if case .reconcile(_, let ranges) = message, !ranges.isEmpty {
                out["ranges"] = ranges.map { r -> [String: Any] in
                    [
                        "timestamp": r.upper == .infinity ? NSNull() : r.upper.timestamp as Any, "prefix": hex(r.upper.prefix),
                        "mode": r.mode.code,
                    ]
                }
            }
            return out
        }
    }

    /// Every range mode, with bounds that use a scale, a prefix, a zero delta and infinity.
    static var allModes: [ReconcileRange] {
        let id = ShortID(try! ChangeID(bytes: [UInt8](repeating: 7, count: 32)))
        return [
            ReconcileRange(upper: RangeBound(timestamp: 5, prefix: []), mode: .skip),
            ReconcileRange(upper: RangeBound(timestamp: 5, prefix: [0x80]), mode: .fingerprint([UInt8](repeating: 1, count: 16))),
            ReconcileRange(upper: RangeBound(timestamp: 1 << 40, prefix: []), mode: .idList([id, id])),
            ReconcileRange(upper: RangeBound(timestamp: (1 << 40) + 3 << 20, prefix: []), mode: .all(count: 300)),
            ReconcileRange(
                upper: RangeBound(timestamp: 1 << 41, prefix: []),
                mode: .idListResponse(have: [id], need: [true, false, true, true, false, false, false, false, true])),
            ReconcileRange(upper: .infinity, mode: .deferred),
        ]
    }

    /// The reference's bounds between neighbouring items (sync.md §4.3).
    static func bounds() -> [[String: Any]] {
        let a = [UInt8](repeating: 0x11, count: 32)
        let b = [UInt8](repeating: 0x11, count: 3) + [UInt8](repeating: 0x90, count: 29)
        let cases: [(UInt64, [UInt8], UInt64, [UInt8], UInt64)] = [
            (1_000, a, 1_001, b, 0),
            (0x0001_9000_1234_0000, a, 0x0001_9000_9999_0000, b, 0x0001_8000_0000_0000),
            (0x0001_9000_1234_0000, a, 0x0001_9000_1234_0001, b, 0x0001_9000_1234_0000),
            (77 << 16, a, 1 << 62, b, 5),
            (7 << 16, a, 7 << 16, b, 3 << 16),
        ]
        return cases.map { pt, pid, nt, nid, after in
            let bound = RangeBound.between(
                SyncItem(timestamp: pt, id: try! ChangeID(bytes: pid)), SyncItem(timestamp: nt, id: try! ChangeID(bytes: nid)),
                after: after)
            return [
                "previous": [pt, hex(pid)] as [Any], "next": [nt, hex(nid)] as [Any], "after": after,
                "bound": [bound.timestamp, hex(bound.prefix)] as [Any],
            ]
        }
    }

    static func invalid() -> [[String: Any]] {
        let cases: [(String, [UInt8])] = [
            ("wrong message version", [2, 6]),
            ("unknown type", [1, 99]),
            ("done with trailing byte", [1, 6, 0]),
            ("hello without scopes", [1, 1, 0]),
            ("repeated scope", [1, 1, 2, 1, 0x61, 1, 0x61]),
            ("accept flag not 0 or 1", [1, 2, 1, 2]),
            ("varint with a redundant leading group", [1, 5, 0x80, 0x01]),
            ("bounds not increasing", [1, 3, 0, 2, 6, 0, 1, 0]),
            ("infinite bound with a prefix", [1, 3, 0, 1, 0, 8, 0xAA]),
            ("bound not in its shortest form", [1, 3, 0, 1, 3, 0x82, 0x08]),
            ("bound timestamp overflows", [1, 3, 0, 2, 2, 0x81, 0x81, 0x78, 2, 0x81, 0x81, 0x78]),
            ("range tag out of range", [1, 3, 0, 1, 0, 0x81, 0x84, 0x00]),
            ("unknown range mode", [1, 3, 0, 1, 0, 6]),
            ("need bits past the end set", [1, 3, 0, 1, 0, 3, 0, 1, 0xFF]),
            ("all with no items", [1, 3, 0, 1, 0, 4, 0]),
            ("deferred range not last", [1, 3, 0, 1, 2, 5]),
            ("changes batch empty", [1, 4, 0, 0]),
            ("abort reason not UTF-8", [1, 7, 0, 1, 1, 0xFF]),
            ("refused without a reason length", [1, 8, 0, 0, 19]),
            ("refused reason over 512 bytes", [1, 8, 0, 0, 19, 0x84, 0x01] + [UInt8](repeating: 0x61, count: 513)),
            ("enroll with an empty request", [1, 9, 0, 0]),
            ("enrollment answer unknown", [1, 10, 3]),
            ("enrollment certified without a certificate", [1, 10, 1, 0, 0]),
            ("enrollment registry key of 79 bytes", [1, 10, 1, 1, 0, 1, 0x42, 79] + [UInt8](repeating: 0, count: 79)),
            ("pending with a field", [1, 11, 0]),
            ("requests over 256", [1, 12, 0x82, 0x01]),
            ("decide waiting", [1, 13] + [UInt8](repeating: 0x11, count: 32) + [0]),
            ("seen not in ascending key order", [1, 15, 2] + [UInt8](repeating: 0x11, count: 41) + [UInt8](repeating: 0x11, count: 41)),
        ]
        return cases.map { name, bytes in
            var refusal = "accepted"
            var detail = ""
            do throws(SyncError) { _ = try SyncMessage.decode(bytes) } catch {
                refusal = error.name
                if case .malformed(let why) = error { detail = why }
            }
            return ["name": name, "hex": hex(bytes), "error": refusal, "detail": detail]
        }
    }

    /// A lock-step session: each step feeds one side everything the other has sent since.
    static func session() throws -> [String: Any] {
        let ki = key(0xA1)
        let kr = key(0xB2)
        let ei = [UInt8](repeating: 0x31, count: 32)
        let er = [UInt8](repeating: 0x42, count: 32)
        let shared = chain(key(0x21), count: 3, scope: "school-001", startMs: 1_764_000_000_000)
        let onlyI = chain(key(0x22), count: 2, scope: "school-001", startMs: 1_764_000_100_000)
        let onlyR = chain(key(0x23), count: 2, scope: "school-001", startMs: 1_764_000_200_000)
        let li = try ChangeLog(inMemory: (), options: .init(merge: nil))
        let lr = try ChangeLog(inMemory: (), options: .init(merge: nil))
        _ = try li.append(shared + onlyI)
        _ = try lr.append(shared + onlyR)
        var i = SyncEndpoint(
            session: try SyncSession(
                role: .initiator, key: ki, policy: SyncPolicy(grants: [kr.publicKey: .allScopes]),
                scopes: [try ScopeID("school-001")], source: StoreSyncSource(li), now: 0,
                ephemeralPrivateKey: ei), store: li)
        var r = SyncEndpoint(
            session: try SyncSession(
                role: .responder, key: kr, policy: SyncPolicy(grants: [ki.publicKey: .allScopes]),
                source: StoreSyncSource(lr), now: 0, ephemeralPrivateKey: er), store: lr)
        var steps: [[String: Any]] = []
        var toR = i.start(now: 0)
        var toI = r.start(now: 0)
        steps.append(["side": "initiator", "in": "", "out": hex(toR)])
        steps.append(["side": "responder", "in": "", "out": hex(toI)])
        var t: UInt64 = 0
        while !(i.isOver && r.isOver) {
            t += 1
            guard t < 50 else { throw SyncError.malformed("vector session did not end") }
            let inR = toR
            let inI = toI
            toR = []
            toI = []
            if !inR.isEmpty, !r.isOver {
                let out = r.receive(inR, now: t)
                steps.append(["side": "responder", "in": hex(inR), "out": hex(out)])
                toI += out
            }
            if !inI.isEmpty, !i.isOver {
                let out = i.receive(inI, now: t)
                steps.append(["side": "initiator", "in": hex(inI), "out": hex(out)])
                toR += out
            }
        }
        guard case .success(let si)? = i.result, case .success(let sr)? = r.result else {
            throw SyncError.malformed("vector session failed")
        }
        return [
            "initiator_seed": hex(ki.seed), "responder_seed": hex(kr.seed),
            "initiator_ephemeral": hex(ei), "responder_ephemeral": hex(er),
            "scope": "school-001",
            "initiator_changes": (shared + onlyI).map { hex($0.encoded) },
            "responder_changes": (shared + onlyR).map { hex($0.encoded) },
            "steps": steps,
            "initiator_sent": si.sentChanges, "initiator_received": si.receivedChanges,
            "responder_sent": sr.sentChanges, "responder_received": sr.receivedChanges,
            "round_trips": si.roundTrips,
        ]
    }

    static func make() throws -> String {
        let root: [String: Any] = [
            "about":
                "Baoxue sync protocol v1 test vectors (Protocol/sync.md). Regenerate: baoxue-dev sync-vectors > Protocol/vectors/sync.json",
            "preamble": hex(SecureChannel.preamble),
            "prologue": hex(SecureChannel.prologue),
            "fingerprints": fingerprints(),
            "messages": messages(),
            "invalid_messages": invalid(),
            "bounds": bounds(),
            "session": try session(),
        ]
        let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

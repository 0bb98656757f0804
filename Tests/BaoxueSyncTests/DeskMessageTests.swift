import BaoxueCore
import BaoxueSync
import Testing

/// The enrollment desk's messages (sync.md §3.1): one encoding each, and the strict parser's refusals.
struct DeskMessageTests {
    static let key = try! PublicKey(bytes: Array(repeating: 7, count: 32))

    @Test(arguments: [
        DeskMessage.enroll(request: [1, 2, 3]),
        .enrollment(.waiting),
        .enrollment(.certified(certificates: [[9, 9], [8]], sealedRegistryKey: Array(repeating: 5, count: 80))),
        .enrollment(.certified(certificates: [[9]], sealedRegistryKey: [])),
        .enrollment(.rejected(reason: "不是本校教师")),
        .pending,
        .requests([]),
        .requests([.init(receivedAt: 1_700_000_000_000, request: [4, 5])]),
        .decide(subject: key, answer: .rejected(reason: "重复申请")),
        .status,
        .seen([]),
        .seen([.init(key: key, lastSeen: 1_700_000_000_000, behind: 300, oldestUnseen: 1_699_999_000_000)]),
    ])
    func eachMessageRoundTrips(_ m: DeskMessage) throws {
        let bytes = SyncMessage.desk(m).encoded()
        #expect(try SyncMessage.decode(bytes) == .desk(m))
        #expect(bytes[1] == m.kind.rawValue)
    }

    @Test func theFieldsAreTheSpecsBytes() {
        // ENROLL: version 1, type 9, u16 length, the request.
        #expect(SyncMessage.desk(.enroll(request: [0xAA, 0xBB])).encoded() == [1, 9, 0, 2, 0xAA, 0xBB])
        // ENROLLMENT waiting: type 10, answer 0.
        #expect(SyncMessage.desk(.enrollment(.waiting)).encoded() == [1, 10, 0])
        // REQUESTS with one: varint count, u64 time, u16 length, bytes.
        #expect(
            SyncMessage.desk(.requests([.init(receivedAt: 258, request: [7])])).encoded() == [1, 12, 1, 0, 0, 0, 0, 0, 0, 1, 2, 0, 1, 7])
    }

    static let malformed: [([UInt8], String)] = {
        let subject = [UInt8](repeating: 7, count: 32)
        var cases: [([UInt8], String)] = []
        cases.append(([1, 9, 0, 0], "empty request"))
        cases.append(([1, 9, 0x10, 0x01] + [UInt8](repeating: 0, count: 4_097), "request over 4 096 bytes"))
        cases.append(([1, 9, 0, 1, 5, 0], "trailing byte"))
        cases.append(([1, 10, 3], "unknown answer"))
        cases.append(([1, 10, 1, 0, 0], "no certificate"))
        cases.append(([1, 10, 1, 1, 0, 0, 0], "empty certificate"))
        cases.append(([1, 10, 1, 1, 0, 1, 9, 79] + [UInt8](repeating: 0, count: 79), "registry key of 79 bytes"))
        cases.append(([1, 11, 0], "PENDING with a field"))
        cases.append(([1, 12, 0x82, 0x01], "257 requests announced"))
        cases.append(([1, 13] + subject + [0], "a decision that decides nothing"))
        cases.append(([1, 13] + subject.dropLast(), "short subject"))
        cases.append(([1, 10, 2, 2, 0xC3, 0x28], "reason not UTF-8"))
        cases.append(([1, 16], "unknown type"))
        let device = subject + [UInt8](repeating: 0, count: 9)
        cases.append(([1, 15, 2] + device + device, "devices not in ascending key order"))
        cases.append(([1, 14, 0], "STATUS with a field"))
        return cases
    }()

    @Test(arguments: malformed)
    func malformedMessagesAreRefused(_ bytes: [UInt8], _ why: String) {
        #expect(throws: SyncError.self, "\(why)") { try SyncMessage.decode(bytes) }
    }
}

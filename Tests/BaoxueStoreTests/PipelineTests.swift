import BaoxueCore
import BaoxueStore
import BaoxueTesting
import Testing

/// The pipelined append: same result as batch by batch, commits reported in
/// order, and a bad batch stops the stream keeping only the batches before it.
@Suite struct PipelineTests {
    @Test(arguments: [1, 2]) func pipelinedEqualsSerial(threads: Int) async throws {
        let changes = (1...5).flatMap { Fixtures.chain(Fixtures.key(UInt8($0)), count: 80) }
        let batches = stride(from: 0, to: changes.count, by: 100).map { changes[$0..<min($0 + 100, changes.count)].map(\.encoded) }
        let log = try ChangeLog(options: .init(verifyThreads: threads))
        var committed: [Int] = []
        let report = try await log.appendPipelined(batches) { index, _ in committed.append(index) }
        #expect(committed == Array(0..<batches.count))
        #expect(report.inserted == 400 && report.applied == 400)
        let serial = try ChangeLog()
        for b in batches { _ = try serial.append(encoded: b) }
        #expect(try log.heads() == serial.heads())
    }

    @Test func badBatchStopsTheStreamAndKeepsEarlierBatches() async throws {
        let changes = Fixtures.chain(Fixtures.key(9), count: 300)
        var batches = stride(from: 0, to: 300, by: 100).map { changes[$0..<$0 + 100].map(\.encoded) }
        batches[1][42][10] ^= 0xff
        let log = try ChangeLog()
        await #expect(throws: StoreError.invalidChange(index: 42, .badSignature)) { try await log.appendPipelined(batches) }
        #expect(try log.count(nil) == 100)
        #expect(try log.heads() == [changes[99].id])
    }
}

import BaoxueApp
import BaoxueSync
import Testing

/// The progress line `baoxue sync` prints while changes move: a bar, the counts, an estimate.
@Suite struct SyncViewTests {
    @Test func progressShowsABarTheCountsAndTheTimeLeft() {
        var s = SyncSummary()
        #expect(SyncView.progressLine(s, elapsedMs: 0, .en).hasPrefix("reconciling"))
        s.reconciled = true
        s.toReceive = 80
        s.toSend = 20
        s.receivedChanges = 30
        s.sentChanges = 10
        let line = SyncView.progressLine(s, elapsedMs: 4_000, .en)
        #expect(line.hasPrefix("[########------------]  40% received 30/80, sent 10/20"), "\(line)")
        #expect(line.hasSuffix("about 6 s left"), "\(line)")
        s.receivedChanges = 80
        s.sentChanges = 20
        #expect(SyncView.progressLine(s, elapsedMs: 9_000, .zh).hasPrefix("[####################] 100% 收 80/80 条"))
    }
}

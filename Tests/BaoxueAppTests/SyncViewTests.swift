import BaoxueApp
import BaoxueSync
import Testing

/// The progress line `baoxue sync` prints while changes move: a bar, the counts, an estimate.
@Suite struct SyncViewTests {
    @Test func progressShowsABarTheCountsAndTheTimeLeft() {
        var s = SyncSummary()
        #expect(SyncProgress(s, elapsedMs: 0).line(.en).hasPrefix("reconciling"))
        s.reconciled = true
        s.toReceive = 80
        s.toSend = 20
        s.receivedChanges = 30
        s.sentChanges = 10
        let line = SyncProgress(s, elapsedMs: 4_000).line(.en)
        #expect(line.hasPrefix("[########------------]  40% received 30/80, sent 10/20"), "\(line)")
        #expect(line.hasSuffix("about 6 s left"), "\(line)")
        #expect(SyncProgress(s, elapsedMs: 4_000).fraction == 0.4)
        #expect(SyncProgress(s, elapsedMs: 4_000).secondsLeft == 6)
        s.receivedChanges = 80
        s.sentChanges = 20
        #expect(SyncProgress(s, elapsedMs: 9_000).line(.zh).hasPrefix("[####################] 100% 收 80/80 条"))
    }

    /// A refused upload and a wipe are said in the user's words, in both languages, and only when they happened.
    @Test func aRefusedUploadAndAWipeAreSaid() {
        var s = SyncSummary()
        s.receivedChanges = 12
        #expect(SyncView(s).text(.zh).split(separator: "\n").count == 1)
        s.refusedByPeer = "over_limit: disk_full"
        s.notSent = 40
        var view = SyncView(s)
        let zh = view.text(.zh).split(separator: "\n")
        #expect(zh.count == 2)
        #expect(zh.last?.contains("对方存储空间已满") == true && zh.last?.contains("40 条变更未上传") == true, "\(zh)")
        #expect(zh.last?.contains("disk_full") == false, "a field identifier in a Chinese message")
        #expect(view.text(.en).contains("the peer's storage is full; 40 change(s) of this device were not uploaded"))
        view.thisDeviceRevoked = true
        let lines = view.text(.zh).split(separator: "\n")
        #expect(lines.count == 3 && lines.last?.hasPrefix("本设备已被教育局吊销") == true, "\(lines)")
    }
}

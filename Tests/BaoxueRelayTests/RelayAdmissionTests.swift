import BaoxueApp
import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import Foundation
import Testing

/// Admission control against a real relay process: past `--max-sessions`, a device waits
/// its turn and, past `--max-wait`, is told `over_limit: server_busy` (not a timeout); once a
/// slot frees it is served.
@Suite struct RelayAdmissionTests {
    @Test func aDeviceBeyondTheSessionLimitIsToldTheRelayIsBusyThenServed() async throws {
        let town = Township(root: Fixtures.temporaryDirectory())
        do { _ = try town.makeRelay() }
        let device = try town.makeDevice(0, schools: 1)
        let school = Township.school(0)
        let written = try Township.writeVisits(device, scope: school, count: 20, tag: "a")
        let relay = try RelayProcess(
            directory: town.relayDirectory,
            extra: ["--max-sessions", "1", "--max-wait", "1", "--idle-timeout", "600"], metrics: true)

        // An enrolled colleague that completes its handshake and then says nothing holds the only slot.
        let colleague = try town.makeDevice(1, schools: 1)
        let holder = RelayFaultTests.connectRaw(relay.port)
        #expect(
            try RelayFaultTests.handshake(holder, key: colleague.key, certificates: SyncCommands.presentation(for: colleague).certificates))
        // Wait until the relay has identified the holder and given it the slot (under a loaded test
        // run its last handshake message may still be queued).
        // Polled for up to 60 s: a loaded parallel run can starve this task for a long time, and
        // nothing here depends on timing (the holder stays until it hangs up itself, below).
        func active(_ n: Int) async throws -> Bool {
            for _ in 0..<600 {
                let metrics = RelayOperationsTests.httpGet(port: relay.metricsPort, path: "/metrics")
                if metrics.contains("baoxue_relay_active_sessions \(n)\n") || metrics.contains("baoxue_relay_active_sessions \(n).0") {
                    return true
                }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            return false
        }
        let holding = try await active(1)
        #expect(holding, "the relay never counted the holder's session")

        let busy = await DeviceSync.run(device, port: relay.port, scopes: [school])
        #expect(busy == .failure(.peerAborted(code: 19, reason: "over_limit: server_busy")), "got \(busy)")
        // (A wall-clock bound here is unreliable: under the parallel test run, the async
        // continuation can wait minutes for a free cooperative thread. The reason itself shows
        // the device was told, not timed out: a timeout ends `idle_timeout` or `connection_closed`.)

        // The holder hangs up, which frees the slot; the next sync goes through.
        close(holder)
        #expect(try await active(0), "the holder's session never ended")
        let served = await DeviceSync.run(device, port: relay.port, scopes: [school])
        #expect((try? served.get())?.sentChanges ?? 0 >= written.count, "got \(served)")
        #expect(relay.terminate() == 0)
        let stored = try ChangeLog(path: town.relayDirectory + "/" + Replica.databaseFileName, options: .init(merge: nil))
        for id in written { #expect(try stored.contains(id)) }
    }
}

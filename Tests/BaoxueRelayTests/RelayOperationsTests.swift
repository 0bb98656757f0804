import BaoxueApp
import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import Foundation
import Testing

/// A real relay process serving certified devices: receipts, status, health and
/// metrics, online backup, limits with a clear reason, graceful SIGTERM.
@Suite(.serialized) struct RelayOperationsTests {
    func cli(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = Fixtures.productsDirectory.appendingPathComponent("baoxue")
        p.arguments = args
        p.environment = ["LANG": "C.UTF-8"]
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// One HTTP/1.1 GET on loopback with plain sockets; returns the whole response.
    static func httpGet(port: Int, path: String) -> String { Loopback.get(port: port, path: path) }

    @Test func aRelayServesCertifiedDevicesWitnessesReportsBacksUpAndStopsCleanly() async throws {
        let town = Township(root: Fixtures.temporaryDirectory())
        let relayKey: PublicKey
        do { relayKey = try town.makeRelay().key.publicKey }
        let devices = try (0..<3).map { try town.makeDevice($0, schools: 1) }
        let school = Township.school(0)
        var written: [ChangeID] = []
        for d in devices { written += try Township.writeVisits(d, scope: school, count: 20, tag: "t") }
        let relay = try RelayProcess(directory: town.relayDirectory, metrics: true)
        // No certificate was published anywhere: each side presents its own in the handshake.
        for d in devices { #expect((try? await DeviceSync.run(d, port: relay.port, scopes: [school]).get()) != nil) }
        let first = try await DeviceSync.run(devices[0], port: relay.port, scopes: [school]).get()
        #expect(first.receivedChanges >= 40, "the colleagues' 40 visits and the relay's receipts")
        // Every visit is witnessed by the relay, and device 0 knows it.
        for id in written { #expect(try devices[0].log.witnesses(of: id).map(\.relay) == [relayKey]) }

        let health = Self.httpGet(port: relay.metricsPort, path: "/health")
        #expect(health.hasPrefix("HTTP/1.1 200") && health.contains("\"status\":\"ok\""), "\(health)")
        let metrics = Self.httpGet(port: relay.metricsPort, path: "/metrics")
        #expect(metrics.contains("baoxue_relay_sessions_total 4"), "\(metrics)")
        #expect(!metrics.contains("教师"), "metrics carry no names")

        let backup = town.root + "/backup.sqlite"
        let b = try cli(["relay", "backup", "--data", town.relayDirectory, backup, "--json", "--lang", "en"])
        #expect(b.status == 0, "\(b.err)")
        #expect(b.out.contains("\"integrity\" : \"ok\"") || b.out.contains("\"integrity\":\"ok\""), "\(b.out)")
        #expect(try cli(["relay", "backup", "--data", town.relayDirectory, backup]).status == 1, "never overwrites")

        // A relay records device activity once a second and when it stops: read it after the stop, not after a guess.
        #expect(relay.terminate() == 0)
        #expect(relay.text.contains("relay stopped"))
        let status = try cli(["relay", "status", "--data", town.relayDirectory, "--json"])
        let view = try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as! [String: Any]
        let listed = view["devices"] as! [[String: Any]]
        #expect(listed.count == 3)
        #expect(listed.allSatisfy { ($0["name"] as? String)?.hasPrefix("教师") == true })
        #expect(listed.map { $0["sessions"] as! Int }.reduce(0, +) == 4)
    }

    /// Over a limit, the device is told which one and why; syncing again continues where it stopped.
    @Test func aLimitEndsTheSessionWithItsReasonAndTheNextSyncContinues() async throws {
        let town = Township(root: Fixtures.temporaryDirectory())
        do { _ = try town.makeRelay() }
        let device = try town.makeDevice(0, schools: 1)
        let school = Township.school(0)
        // About 160 visits fit a 64 KiB batch: a session takes one batch past the limit of 100, then ends.
        let ids = try Township.writeVisits(device, scope: school, count: 400, tag: "l")
        let relay = try RelayProcess(directory: town.relayDirectory, extra: ["--max-changes-per-sync", "100"])
        var refusals = 0
        var finished = false
        for _ in 0..<10 where !finished {
            // Every session ended by the limit still had its last batch stored and acknowledged first, so
            // the next one starts past it (before, a device retrying at once could find it not yet stored).
            let acked = AckedCount()
            switch await DeviceSync.run(device, port: relay.port, scopes: [school], acked: { acked.set($0) }) {
            case .failure(.peerAborted(19, let reason)):
                #expect(reason == "over_limit: changes_per_session")
                #expect(acked.value >= 100, "a session over the limit acknowledged \(acked.value) changes")
                refusals += 1
            case .failure(let other): Issue.record("unexpected failure \(other)")
            case .success: finished = true
            }
        }
        #expect(finished && refusals >= 2, "refusals \(refusals); relay said:\n\(relay.text.suffix(3000))")
        #expect(relay.terminate() == 0)
        let stored = try ChangeLog(path: town.relayDirectory + "/" + Replica.databaseFileName, options: .init(merge: nil))
        let kept = try ids.filter { try stored.contains($0) }.count
        let (applied, pending, quarantined) = (try stored.count(.applied), try stored.count(.pending), try stored.count(.quarantined))
        #expect(
            kept == ids.count,
            "the relay holds \(kept) of \(ids.count); applied \(applied), pending \(pending), quarantined \(quarantined)")
    }
}

/// The running count of a device's changes the relay acknowledged in one session.
final class AckedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func set(_ n: Int) {
        lock.lock()
        count = max(count, n)
        lock.unlock()
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}

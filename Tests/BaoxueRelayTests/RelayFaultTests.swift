import BaoxueApp
import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTesting
import Foundation
import Testing

/// Faults a relay meets in the field, each against a real relay process:
/// silent, dribbling, half-open and vanishing peers, and a full disk.
@Suite(.serialized, .tags(.soak), .enabled(if: soakEnabled, "a soak suite: bash tools/run test --fast skips it")) struct RelayFaultTests {
    /// The sockets a process holds open. Only sockets: SQLite's pool opens reader connections (files)
    /// as load asks for them and keeps them, which is not a leak and must not pass for one.
    static func openSockets(_ pid: Int32) -> Int {
        guard let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return -1 }
        return fds.filter {
            ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)")) ?? "").hasPrefix("socket:")
        }
        .count
    }

    /// A TCP connection to the relay, raw.
    static func connectRaw(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return fd
    }

    /// True once the relay has closed `fd` (recv sees end of stream), waiting up to `seconds`.
    /// Completes a real Noise handshake as `key` on a raw socket, then leaves it silent.
    static func handshake(_ fd: Int32, key: DeviceKey, certificates: [[UInt8]] = []) throws -> Bool {
        var channel = try SecureChannel(role: .initiator, key: key, certificates: certificates)
        let hello = try channel.start()
        _ = hello.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<50 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { continue }
            let (reply, events) = try channel.receive(Array(buffer[0..<n]))
            _ = reply.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            if events.contains(where: { if case .established = $0 { true } else { false } }) { return true }
        }
        return false
    }

    static func closedByRelay(_ fd: Int32, within seconds: Double) -> Bool {
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return true }
            if n < 0 && errno != EAGAIN && errno != EWOULDBLOCK { return true }
        }
        return false
    }

    @Test func silentDribblingHalfOpenAndVanishingPeersAreReleasedWithinTheTimeouts() async throws {
        let town = Township(root: Fixtures.temporaryDirectory())
        do { _ = try town.makeRelay() }
        let device = try town.makeDevice(0, schools: 1)
        let school = Township.school(0)
        _ = try Township.writeVisits(device, scope: school, count: 50, tag: "f")
        let relay = try RelayProcess(directory: town.relayDirectory, extra: ["--idle-timeout", "2"])
        let pid = relay.process.processIdentifier
        let idle = Self.openSockets(pid)

        // Half-open after the handshake: a real Noise handshake, then silence → idle timeout (2 s).
        let half = Self.connectRaw(relay.port)
        #expect(try Self.handshake(half, key: DeviceKey.generate()))
        // Silent peers and one sending a byte a second: trickling bytes are not progress, so the
        // idle timeout (2 s here) ends them, and the handshake timeout (15 s) in any case.
        let silent = (0..<20).map { _ in Self.connectRaw(relay.port) }
        let dribbler = Self.connectRaw(relay.port)
        let dribbling = Task.detached {
            // The preamble, a valid length for handshake message 1, then its bytes: never a whole frame in time.
            for byte in SecureChannel.preamble + [0x00, 0x20] + [UInt8](repeating: 7, count: 32) {
                var b = byte
                if Task.isCancelled || send(dribbler, &b, 1, Int32(MSG_NOSIGNAL)) < 0 { return }
                // Cancelled: stop, never write again — once closed, the descriptor's number may belong to
                // another test's socket in this process (a trickling test once received these bytes).
                do { try await Task.sleep(nanoseconds: 1_000_000_000) } catch { return }
            }
        }
        #expect(Self.closedByRelay(half, within: 5), "half-open connection outlived the 2 s idle timeout")
        let dribbleStart = Date()
        #expect(Self.closedByRelay(dribbler, within: 20), "a 1 byte/s peer outlived the timeouts")
        #expect(Date().timeIntervalSince(dribbleStart) < 16)
        for fd in silent { #expect(Self.closedByRelay(fd, within: 3), "a silent peer outlived the handshake timeout") }
        dribbling.cancel()
        await dribbling.value
        for fd in silent + [half, dribbler] { close(fd) }

        // A device vanishing mid-batch (its process killed during the push).
        let big = try town.makeDevice(1, schools: 1)
        _ = try Township.writeVisits(big, scope: school, count: 2_000, tag: "v")
        let p = Process()
        p.executableURL = Fixtures.productsDirectory.appendingPathComponent("baoxue")
        p.arguments = ["sync", "127.0.0.1:\(relay.port)", "--dir", town.deviceDirectory(1)]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        try await Task.sleep(nanoseconds: 300_000_000)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()

        // All released: back to the idle relay's sockets, and it still serves.
        var fds = Self.openSockets(pid)
        for _ in 0..<50 where fds > idle {
            try await Task.sleep(nanoseconds: 100_000_000)
            fds = Self.openSockets(pid)
        }
        #expect(fds <= idle, "relay holds \(fds) sockets, \(idle) when idle")
        #expect((try? await DeviceSync.run(device, port: relay.port, scopes: [school]).get()) != nil)
        #expect((try? await DeviceSync.run(big, port: relay.port, scopes: [school]).get()) != nil, "the vanished device resumes")
        #expect(relay.terminate() == 0)
        #expect(
            try ChangeLog(path: town.relayDirectory + "/" + Replica.databaseFileName, options: .init(merge: nil)).integrityCheck() == "ok")
    }

    /// A full disk: new changes are refused with a clear reason and nothing half-written,
    /// reads go on, and once space returns the device's next sync completes.
    /// On a small tmpfs when this process may mount one (root), else under a database quota.
    @Test func aFullDiskRefusesWritesKeepsServingReadsAndRecovers() async throws {
        let town = Township(root: Fixtures.temporaryDirectory())
        do { _ = try town.makeRelay() }
        let reader = try town.makeDevice(0, schools: 1)
        let writer = try town.makeDevice(1, schools: 1)
        let school = Township.school(0)
        _ = try Township.writeVisits(reader, scope: school, count: 10, tag: "r")
        let ids = try Township.writeVisits(writer, scope: school, count: 4_000, tag: "w")

        let mountPoint = town.root + "/tmpfs"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        // BAOXUE_NO_TMPFS=1 exercises the quota path on a machine that could mount.
        let mounted =
            ProcessInfo.processInfo.environment["BAOXUE_NO_TMPFS"] == nil
            && Process.run("/bin/mount", ["-t", "tmpfs", "-o", "size=32m", "tmpfs", mountPoint]) == 0
        defer { if mounted { _ = Process.run("/bin/umount", ["-l", mountPoint]) } }
        let data = mounted ? mountPoint + "/relay" : town.relayDirectory
        if mounted { try FileManager.default.copyItem(atPath: town.relayDirectory, toPath: data) }
        let filler = mountPoint + "/filler"
        if mounted {
            // Leave about 1.5 MiB free: the reader's sync fits, the writer's 4,000 visits do not.
            let used = (try FileManager.default.contentsOfDirectory(atPath: data)).reduce(0) {
                $0 + ((try? FileManager.default.attributesOfItem(atPath: data + "/" + $1)[.size] as? Int) ?? 0)
            }
            _ = FileManager.default.createFile(atPath: filler, contents: Data(count: max(0, 32 * 1_048_576 - used - 1_572_864)))
        }
        var relay = try RelayProcess(directory: data, extra: mounted ? [] : ["--max-db-mib", "2"])
        #expect((try? await DeviceSync.run(reader, port: relay.port, scopes: [school]).get()) != nil, "room for a small sync")

        // Refused writes, served reads, in one session (sync.md §5: REFUSED).
        let refused = await DeviceSync.run(writer, port: relay.port, scopes: [school])
        #expect((try? refused.get())?.refusedByPeer == "over_limit: disk_full", "mounted: \(mounted), \(refused)")
        #expect((try? await DeviceSync.run(reader, port: relay.port, scopes: [school]).get()) != nil, "reads go on while full")

        // Space returns.
        if mounted {
            try FileManager.default.removeItem(atPath: filler)
        } else {
            #expect(relay.terminate() == 0)
            relay = try RelayProcess(directory: data)
        }
        var done = await DeviceSync.run(writer, port: relay.port, scopes: [school])
        for _ in 0..<3 where (try? done.get()) == nil { done = await DeviceSync.run(writer, port: relay.port, scopes: [school]) }
        #expect((try? done.get()) != nil, "\(done)")
        #expect(relay.terminate() == 0)
        let stored = try ChangeLog(path: data + "/" + Replica.databaseFileName, options: .init(merge: nil))
        #expect(try stored.integrityCheck() == "ok")
        for id in ids { #expect(try stored.contains(id)) }
    }
}

extension Process {
    /// Runs a command quietly and returns its exit status (-1 if it could not start).
    static func run(_ path: String, _ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}

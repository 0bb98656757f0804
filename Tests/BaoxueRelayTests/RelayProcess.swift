import BaoxueApp
import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import BaoxueTesting
import BaoxueTransport
import Foundation

/// A real `baoxue relay serve` process on loopback, for fault tests.
final class RelayProcess: @unchecked Sendable {
    let process = Process()
    private(set) var port = 0
    private(set) var metricsPort = 0
    private var output = ""
    /// The relay's stdout, kept as long as this object so its handler is removed before the pipe closes.
    private let out = Pipe()
    private let lock = NSLock()
    /// Tests waiting for a line of the relay's output (`waitFor`), resumed by the output handler.
    private var waiters: [Int: (text: String, count: Int, continuation: CheckedContinuation<Bool, Never>)] = [:]
    private var nextWaiter = 0

    /// Starts the relay on `directory` and waits (up to 20 s) until it listens.
    /// `openFiles` (soft, hard): runs the relay under that open-file limit (through prlimit, which execs it).
    init(directory: String, port: Int = 0, extra: [String] = [], metrics: Bool = false, openFiles: (UInt64, UInt64)? = nil) throws {
        let binary = Fixtures.productsDirectory.appendingPathComponent("baoxue")
        let arguments =
            ["relay", "serve", "--data", directory, "--listen", "127.0.0.1:\(port)", "--lang", "en"]
            + (metrics ? ["--metrics", "127.0.0.1:0"] : []) + extra
        if let (soft, hard) = openFiles {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
            process.arguments = ["--nofile=\(soft):\(hard)", binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        process.environment = ["LANG": "C.UTF-8"]
        process.standardOutput = out
        // The relay logs (swift-log) to stderr: kept with its stdout for the tests that read its log.
        process.standardError = out
        out.fileHandleForReading.readabilityHandler = { [weak self] h in
            let data = h.availableData
            // At EOF (the relay exited) stop watching: Foundation would otherwise call this in a loop,
            // and a dispatch source left on a descriptor that is later closed crashes libdispatch.
            guard let self else {
                h.readabilityHandler = nil
                return
            }
            guard !data.isEmpty else {
                h.readabilityHandler = nil
                self.resumeWaiters(ended: true)
                return
            }
            self.lock.lock()
            self.output += String(decoding: data, as: UTF8.self)
            self.lock.unlock()
            self.resumeWaiters(ended: false)
        }
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = self.text
            if let range = text.range(of: #"listening on port (\d+)"#, options: .regularExpression) {
                self.port = Int(text[range].split(separator: " ").last!)!
                if let m = text.range(of: #"metrics on port (\d+)"#, options: .regularExpression) {
                    self.metricsPort = Int(text[m].split(separator: " ").last!)!
                }
                return
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.terminate()
        throw RelayTestError.didNotStart(self.text)
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return output
    }

    /// Waits until the relay has printed `text` at least `count` times — the event itself, not a
    /// guess at how long it takes; false if the relay ends first or `timeout` seconds pass.
    func waitFor(_ text: String, count: Int = 1, timeout: Double = 30) async -> Bool {
        await withCheckedContinuation { continuation in
            lock.lock()
            if Self.occurrences(of: text, in: output) >= count {
                lock.unlock()
                continuation.resume(returning: true)
                return
            }
            let id = nextWaiter
            nextWaiter += 1
            waiters[id] = (text, count, continuation)
            lock.unlock()
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak self] in
                guard let self else { return }
                self.lock.lock()
                let expired = self.waiters.removeValue(forKey: id)
                self.lock.unlock()
                expired?.continuation.resume(returning: false)
            }
        }
    }

    private static func occurrences(of text: String, in output: String) -> Int { output.components(separatedBy: text).count - 1 }

    /// Resumes the waiters whose line has appeared (all of them, with false, once the output ends).
    private func resumeWaiters(ended: Bool) {
        lock.lock()
        var ready: [(CheckedContinuation<Bool, Never>, Bool)] = []
        for (id, w) in waiters {
            if Self.occurrences(of: w.text, in: output) >= w.count {
                ready.append((w.continuation, true))
                waiters[id] = nil
            } else if ended {
                ready.append((w.continuation, false))
                waiters[id] = nil
            }
        }
        lock.unlock()
        for (c, value) in ready { c.resume(returning: value) }
    }

    /// A relay still running when its test lets go of it (a failed expectation, a thrown error, a
    /// test that forgot) is killed: no test leaves a process behind.
    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        out.fileHandleForReading.readabilityHandler = nil
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func terminate() -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }
}

enum RelayTestError: Error { case didNotStart(String) }

/// A loopback port free right now (bound and released), for a relay that must come back on the same port.
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// A device of the test township syncing with a relay from this process.
struct DeviceSync {
    /// Syncs `replica` with the relay at `port` for `scopes`; `acked` hears the running count of
    /// this side's changes the relay acknowledged.
    static func run(
        _ replica: Replica, port: Int, scopes: [ScopeID], acked: @escaping @Sendable (Int) -> Void = { _ in }
    )
        async -> Result<SyncSummary, SyncError>
    {
        let (certificates, vouch) = SyncCommands.presentation(for: replica)
        do throws(SyncError) {
            let endpoint = try SyncEndpoint.make(
                role: .initiator, key: replica.key, store: replica.log, policy: SyncPolicy(),
                scopes: [.admin] + scopes, now: DispatchTime.now().uptimeNanoseconds / 1_000_000,
                pipelined: StreamingAppender(log: replica.log), certificates: certificates, vouch: vouch)
            return .success(try await SyncClient.sync(host: "127.0.0.1", port: port, endpoint: endpoint) { acked($0.sentChanges) })
        } catch {
            return .failure(error)
        }
    }
}

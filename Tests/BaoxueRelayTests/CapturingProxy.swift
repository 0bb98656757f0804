import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP proxy in front of a relay that keeps every byte it forwards,
/// both ways: the "capture of its traffic" the privacy tests search.
final class CapturingProxy: @unchecked Sendable {
    private(set) var port = 0
    private let listener: Int32
    private let target: Int
    private var captured: [UInt8] = []
    private let lock = NSLock()

    init(to target: Int) {
        self.target = target
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(listener, 16)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        let fd = listener
        Thread { [weak self] in
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0, let self else { return }
                let upstream = RelayFaultTests.connectRaw(self.target)
                let group = DispatchGroup()
                for (from, to) in [(client, upstream), (upstream, client)] {
                    group.enter()
                    Thread {
                        self.pump(from, to)
                        group.leave()
                    }.start()
                }
                Thread {
                    group.wait()
                    close(client)
                    close(upstream)
                }.start()
            }
        }.start()
    }

    private func pump(_ from: Int32, _ to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, 0) }
            guard n > 0 else {
                shutdown(to, Int32(SHUT_WR))
                return
            }
            lock.lock()
            captured += buffer[..<n]
            lock.unlock()
            var sent = 0
            while sent < n {
                let m = buffer.withUnsafeBytes { send(to, $0.baseAddress! + sent, n - sent, Int32(MSG_NOSIGNAL)) }
                guard m > 0 else { return }
                sent += m
            }
        }
    }

    var bytes: [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return captured
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}

import BaoxueTesting
import Foundation
import Testing

/// The test cluster's server inherits nothing from the test process. SwiftNIO's sockets are not
/// close-on-exec: a server started while a test's relay listened used to keep that port open after the
/// relay stopped, so "a stopped relay refuses connections" failed whenever a cluster started at that moment.
@Suite struct PostgresClusterDescriptorTests {
    @Test func aSocketOpenWhileTheServerStartsClosesWhenTheTestClosesIt() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        try await PostgresCluster.with { _ in
            #expect(Loopback.accepts(port: port), "listening while the server starts")
            close(listener)
            #expect(!Loopback.accepts(port: port), "closed by the test: the server must not hold it open")
        }
    }
}

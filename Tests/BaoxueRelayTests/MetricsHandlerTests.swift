import BaoxueRelay
import BaoxueStore
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

/// `/metrics` and `/health` without sockets (issue 26 §3): the HTTP pipeline and `MetricsHandler` on an
/// `EmbeddedChannel`, fed a request whole, one byte per read, or together with a second one; each
/// connection gets exactly one answer and is closed.
@Suite struct MetricsHandlerTests {
    func channel() throws -> EmbeddedChannel {
        let log = try ChangeLog(inMemory: (), options: .init(merge: nil))
        let report = RelayReport(store: log, registry: RelayRegistry(limits: RelayLimits()))
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
        try channel.pipeline.syncOperations.addHandler(MetricsHandler(report: report, exposition: Exposition(), inline: true))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9000)).wait()
        return channel
    }

    /// Everything the handler wrote, as text.
    func response(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) { text += buffer.readString(length: buffer.readableBytes) ?? "" }
        return text
    }

    static let health = "GET /health HTTP/1.1\r\nHost: relay\r\n\r\n"

    @Test func healthAnswersWholeOrOneBytePerRead() throws {
        for bytePerRead in [false, true] {
            let channel = try channel()
            if bytePerRead {
                for b in Self.health.utf8 { try channel.writeInbound(ByteBuffer(bytes: [b])) }
            } else {
                try channel.writeInbound(ByteBuffer(string: Self.health))
            }
            let text = try response(channel)
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(bytePerRead): \(text)")
            #expect(text.contains("Content-Type: application/json") && text.contains("\"status\":\"ok\""), "\(text)")
            #expect(!channel.isActive, "closed after the answer")
        }
    }

    @Test func metricsAreServedInPrometheusTextAndUnknownPathsAreNotFound() throws {
        let metrics = try channel()
        try metrics.writeInbound(ByteBuffer(string: "GET /metrics HTTP/1.1\r\nHost: relay\r\n\r\n"))
        let text = try response(metrics)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n") && text.contains("text/plain; version=0.0.4"))
        #expect(text.contains("# TYPE baoxue_"), "\(text.prefix(400))")
        #expect(!text.contains("baoxue_relay_database_"), "a SQLite relay reports a shared database's transactions")
        for request in [
            "GET /children HTTP/1.1\r\nHost: relay\r\n\r\n", "POST /metrics HTTP/1.1\r\nHost: relay\r\nContent-Length: 0\r\n\r\n",
        ] {
            let other = try channel()
            try other.writeInbound(ByteBuffer(string: request))
            #expect(try response(other).hasPrefix("HTTP/1.1 404 Not Found\r\n"), "\(request)")
        }
    }

    @Test func twoRequestsInOneReadGetOneAnswerThenTheConnectionCloses() throws {
        let channel = try channel()
        try channel.writeInbound(ByteBuffer(string: Self.health + "GET /metrics HTTP/1.1\r\nHost: relay\r\n\r\n"))
        let text = try response(channel)
        #expect(text.components(separatedBy: "HTTP/1.1 ").count - 1 == 1, "\(text)")
        #expect(text.contains("\"status\":\"ok\"") && !text.contains("# TYPE"))
        #expect(!channel.isActive)
    }
}

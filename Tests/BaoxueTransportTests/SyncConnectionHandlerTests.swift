import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTCP
import BaoxueTesting
import BaoxueTransport
import NIOCore
import NIOEmbedded
import Testing

/// The TCP handler without sockets (issue 26 §3): the served side of a sync runs on an `EmbeddedChannel`, the
/// connecting side is a bare `SyncEndpoint` the test drives, and bytes cross whole, one byte per read, or with
/// everything one side wrote delivered as a single read. Each way ends with the union on both replicas; garbage
/// and a peer that hangs up end the session with the right error, storing nothing.
@Suite struct SyncConnectionHandlerTests {
    /// How the bytes each side wrote reach the other.
    enum Delivery: String, CaseIterable, CustomStringConvertible {
        /// Each write is one read.
        case asWritten
        /// Every byte is a read of its own: frames arrive in pieces.
        case byteByByte
        /// All a side wrote since the other last read arrives as one read: many frames at once.
        case coalesced

        var description: String { rawValue }
    }

    /// The served side: the handler on an embedded channel, connected (which starts its session).
    struct Served {
        let channel = EmbeddedChannel()
        let done: EventLoopPromise<SyncSummary>

        init(_ endpoint: SyncEndpoint) throws {
            done = channel.embeddedEventLoop.makePromise(of: SyncSummary.self)
            let handler = SyncConnectionHandler(endpoint: endpoint, completion: done, progress: nil, inline: true)
            try channel.pipeline.syncOperations.addHandler(handler)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7000)).wait()
        }

        /// What the handler wrote since the last call, one array per write.
        func written() throws -> [[UInt8]] {
            var out: [[UInt8]] = []
            while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
                out.append(buffer.readBytes(length: buffer.readableBytes) ?? [])
            }
            return out
        }

        func feed(_ writes: [[UInt8]], _ delivery: Delivery) throws {
            switch delivery {
            case .asWritten: for w in writes where !w.isEmpty { try channel.writeInbound(ByteBuffer(bytes: w)) }
            case .byteByByte: for b in writes.joined() { try channel.writeInbound(ByteBuffer(bytes: [b])) }
            case .coalesced: if !writes.joined().isEmpty { try channel.writeInbound(ByteBuffer(bytes: Array(writes.joined()))) }
            }
        }

        /// How the session ended, once it has.
        func outcome() -> Result<SyncSummary, any Error>? {
            var seen: Result<SyncSummary, any Error>?
            done.futureResult.whenComplete { seen = $0 }
            return seen
        }
    }

    /// Runs the connecting endpoint against the served one until both are over (or nothing moves).
    func converse(_ client: inout SyncEndpoint, _ served: Served, _ delivery: Delivery) throws {
        var toServer = [client.start(now: 0)]
        for _ in 0..<10_000 {
            try served.feed(toServer, delivery)
            let toClient = try served.written()
            toServer = []
            switch delivery {
            case .asWritten: for w in toClient { toServer.append(client.receive(w, now: 0)) }
            case .byteByByte: for b in toClient.joined() { toServer.append(client.receive([b], now: 0)) }
            case .coalesced: toServer.append(client.receive(Array(toClient.joined()), now: 0))
            }
            if client.isOver && served.outcome() != nil { return }
            if toClient.isEmpty && toServer.allSatisfy(\.isEmpty) { return }
        }
    }

    func seeded() throws -> SyncPair {
        let pair = try SyncPair()
        let common = Fixtures.chain(Fixtures.key(1), count: 40)
        _ = try pair.a.append(common + Fixtures.chain(Fixtures.key(2), count: 120, payloadBytes: 300))
        _ = try pair.b.append(common + Fixtures.chain(Fixtures.key(3), count: 30, payloadBytes: 300))
        return pair
    }

    @Test(arguments: Delivery.allCases) func bothReplicasEndWithTheUnionHoweverTheBytesArrive(_ delivery: Delivery) throws {
        let pair = try seeded()
        var (client, server) = try pair.endpoints()
        let served = try Served(server)
        try converse(&client, served, delivery)
        let summary = try #require(try served.outcome()?.get(), "\(delivery): the served session did not finish")
        #expect(summary.receivedChanges == 120 && summary.sentChanges == 30, "\(delivery)")
        #expect(try client.result?.get().receivedChanges == 30)
        #expect(try SyncPair.ids(pair.a) == SyncPair.ids(pair.b))
        #expect(try pair.b.count(nil) == 190)
        // The handler hangs up after its last write.
        #expect(!served.channel.isActive, "\(delivery)")
    }

    @Test func garbageEndsTheSessionAndStoresNothing() throws {
        let pair = try seeded()
        let (_, server) = try pair.endpoints()
        let served = try Served(server)
        _ = try served.written()
        // A length prefix far above any frame the protocol allows, then junk.
        try served.feed([[0xFF, 0xFF, 0xFF, 0x7F] + [UInt8](repeating: 0x41, count: 64)], .asWritten)
        let outcome = try #require(served.outcome())
        guard case .failure(let error) = outcome else {
            Issue.record("garbage was accepted: \(outcome)")
            return
        }
        #expect(error is SyncError)
        #expect(!served.channel.isActive)
        #expect(try pair.b.count(nil) == 70)
    }

    @Test func aPeerThatHangsUpMidSessionEndsItAsAFailure() throws {
        let pair = try seeded()
        var (client, server) = try pair.endpoints()
        let served = try Served(server)
        // The handshake's first message arrives, then the connection drops.
        try served.feed([client.start(now: 0)], .asWritten)
        #expect(served.outcome() == nil)
        served.channel.pipeline.fireChannelInactive()
        let outcome = try #require(served.outcome())
        guard case .failure(let error as SyncError) = outcome else {
            Issue.record("a cut session succeeded: \(outcome)")
            return
        }
        #expect("\(error)".contains("closed") || "\(error)".contains("Closed"), "\(error)")
        #expect(try pair.b.count(nil) == 70)
    }
}

import BaoxueSync
import BaoxueTransport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A replica listening for peers over TCP: each accepted connection runs
/// one responder session against the store.
public final class SyncServer: Sendable {
    private let channel: any Channel
    private let open: NIOLockedValueBox<[ObjectIdentifier: any Channel]>
    /// The port actually bound (useful with port 0).
    public let port: Int

    private init(channel: any Channel, open: NIOLockedValueBox<[ObjectIdentifier: any Channel]>) {
        self.channel = channel
        self.open = open
        port = channel.localAddress?.port ?? 0
    }

    /// Binds `host:port` and serves until `stop()`. `makeEndpoint` builds a
    /// responder for each connection; `onSession` hears how each ended;
    /// `guard` (a relay's limits) is consulted once the peer is known.
    public static func start(
        host: String, port: Int, backlog: Int32 = 64, guard sessionGuard: (any SessionGuard)? = nil,
        makeEndpoint: @escaping @Sendable (UInt64) throws(SyncError) -> SyncEndpoint,
        onSession: @escaping @Sendable (Result<SyncSummary, SyncError>) -> Void = { _ in }
    ) async throws(SyncError) -> SyncServer {
        let connections = NIOLockedValueBox<UInt64>(0)
        let open = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let id = ObjectIdentifier(channel)
                open.withLockedValue { $0[id] = channel }
                channel.closeFuture.whenComplete { _ in _ = open.withLockedValue { $0.removeValue(forKey: id) } }
                let promise = channel.eventLoop.makePromise(of: SyncSummary.self)
                promise.futureResult.whenComplete { result in
                    onSession(result.mapError { $0 as? SyncError ?? .connectionClosed })
                }
                let connection = connections.withLockedValue { $0 += 1; return $0 }
                // Building a responder may read the store (a relay's policy): never on the event loop,
                // which every connection of the process shares.
                let ready = channel.eventLoop.makePromise(of: Void.self)
                SyncConnectionHandler.executor(for: connection).async {
                    do {
                        let endpoint = try makeEndpoint(SyncConnectionHandler.now())
                        channel.pipeline.addHandler(SyncConnectionHandler(
                            endpoint: endpoint, completion: promise, progress: nil, guard: sessionGuard, connection: connection
                        )).cascade(to: ready)
                    } catch {
                        promise.fail(error)
                        ready.fail(error)
                    }
                }
                return ready.futureResult
            }
        do {
            return SyncServer(channel: try await bootstrap.bind(host: host, port: port).get(), open: open)
        } catch {
            throw .store("cannot listen on \(host):\(port): \(error)")
        }
    }

    /// Connections accepted and not yet closed.
    public var openConnections: Int { open.withLockedValue { $0.count } }

    /// Stops accepting new connections; sessions in flight go on.
    public func stopAccepting() async {
        try? await channel.close()
    }

    /// Stops accepting and closes every connection still open.
    public func stop() async {
        await stopAccepting()
        for c in open.withLockedValue({ Array($0.values) }) { try? await c.close() }
    }
}

/// Connects to a serving replica and runs one initiator session.
public enum SyncClient {
    public static let connectTimeout = TimeAmount.seconds(10)

    public static func sync(
        host: String, port: Int, endpoint: SyncEndpoint,
        progress: (@Sendable (SyncSummary) -> Void)? = nil
    ) async throws(SyncError) -> SyncSummary {
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: SyncSummary.self)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.pipeline.addHandler(SyncConnectionHandler(endpoint: endpoint, completion: promise, progress: progress))
            }
        do {
            _ = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            promise.fail(SyncError.connectionClosed)
            throw .unreachable("\(host):\(port)")
        }
        do {
            return try await promise.futureResult.get()
        } catch let error as SyncError {
            throw error
        } catch {
            throw .connectionClosed
        }
    }
}

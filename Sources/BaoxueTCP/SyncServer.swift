import BaoxueSync
import BaoxueTransport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// How one served session ended, with who and where from, for the server's owner to log.
public struct SessionEnd: Sendable {
    public let result: Result<SyncSummary, SyncError>
    /// The session's counters when it ended (`peer` is set once the handshake named the peer).
    public let progress: SyncSummary
    /// The peer's IP address as the socket saw it, "-" if unknown.
    public let address: String
}

/// A replica listening for peers over TCP: each accepted connection runs
/// one responder session against the store.
public final class SyncServer: Sendable {
    private let channel: any Channel
    private let sockets: OpenSockets
    /// The port actually bound (useful with port 0).
    public let port: Int

    private init(channel: any Channel, sockets: OpenSockets) {
        self.channel = channel
        self.sockets = sockets
        port = channel.localAddress?.port ?? 0
    }

    /// The listen backlog of every serving replica: a township's phones arrive in bursts
    /// (1,500 connects took 14.4 s to accept with a backlog of 64, 0.2 s with 1,024).
    public static let defaultBacklog: Int32 = 1_024

    /// Binds `host:port` and serves until `stop()`. `makeEndpoint` builds a
    /// responder for each connection; `onSession` hears how each ended;
    /// `limits` are checked at accept (`onRefused` hears each socket closed there, with its
    /// address); `guard` (a relay's limits) is consulted once the peer is known.
    public static func start(
        host: String, port: Int, backlog: Int32 = defaultBacklog, limits: ConnectionLimits = ConnectionLimits(),
        guard sessionGuard: (any SessionGuard)? = nil,
        makeEndpoint: @escaping @Sendable (UInt64) throws(SyncError) -> SyncEndpoint,
        onSession: @escaping @Sendable (SessionEnd) -> Void = { _ in },
        onRefused: @escaping @Sendable (String, ConnectionLimits.Refusal) -> Void = { _, _ in }
    ) async throws(SyncError) -> SyncServer {
        let connections = NIOLockedValueBox<UInt64>(0)
        let sockets = OpenSockets(limits: limits)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let connection = connections.withLockedValue {
                    $0 += 1
                    return $0
                }
                let address = channel.remoteAddress?.ipAddress ?? "-"
                if let refusal = sockets.accept(connection, channel, address: address) {
                    onRefused(address, refusal)
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in sockets.closed(connection) }
                let promise = channel.eventLoop.makePromise(of: SyncSummary.self)
                let ended: @Sendable (SyncSummary, Result<SyncSummary, SyncError>) -> Void = { progress, result in
                    onSession(SessionEnd(result: result, progress: progress, address: address))
                }
                // Building a responder may read the store (a relay's policy): never on the event loop,
                // which every connection of the process shares.
                let ready = channel.eventLoop.makePromise(of: Void.self)
                SyncConnectionHandler.executor(for: connection).async {
                    do {
                        let endpoint = try makeEndpoint(SyncConnectionHandler.now())
                        channel.pipeline.addHandler(
                            SyncConnectionHandler(
                                endpoint: endpoint, completion: promise, progress: nil, guard: sessionGuard, connection: connection,
                                identified: { sockets.identified(connection) }, ended: ended
                            )
                        ).cascade(to: ready)
                    } catch {
                        promise.fail(error)
                        ready.fail(error)
                        ended(SyncSummary(), .failure(error as? SyncError ?? .store("\(error)")))
                    }
                }
                return ready.futureResult
            }
        do {
            return SyncServer(channel: try await bootstrap.bind(host: host, port: port).get(), sockets: sockets)
        } catch {
            let inUse = (error as? IOError)?.errnoCode == EADDRINUSE || "\(error)".contains("in use")
            throw .cannotListen(address: "\(host):\(port)", inUse: inUse)
        }
    }

    /// Connections accepted and not yet closed.
    public var openConnections: Int { sockets.count }

    /// Stops accepting new connections; sessions in flight go on.
    public func stopAccepting() async {
        try? await channel.close()
    }

    /// Waits until every connection open now has closed, or `graceMs` has passed: true if they all closed.
    /// Call after `stopAccepting`, so no connection opens meanwhile. Waits on the connections' close
    /// futures and one scheduled timeout on the event loop, not by polling.
    public func drain(graceMs: UInt64) async -> Bool {
        let open = sockets.all
        guard !open.isEmpty else { return true }
        let loop = channel.eventLoop
        let outcome = loop.makePromise(of: Bool.self)
        let settled = NIOLockedValueBox(false)
        @Sendable func settle(_ drained: Bool) {
            guard
                settled.withLockedValue({ s in
                    defer { s = true }
                    return !s
                })
            else { return }
            outcome.succeed(drained)
        }
        let deadline = loop.scheduleTask(in: .milliseconds(Int64(clamping: graceMs))) { settle(false) }
        EventLoopFuture.andAllComplete(open.map(\.closeFuture), on: loop).whenComplete { _ in
            deadline.cancel()
            settle(true)
        }
        return (try? await outcome.futureResult.get()) ?? false
    }

    /// Stops accepting and closes every connection still open.
    public func stop() async {
        await stopAccepting()
        for c in sockets.all { try? await c.close() }
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
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            promise.fail(SyncError.connectionClosed)
            throw .unreachable("\(host):\(port)")
        }
        do {
            // Cancelling the calling task hangs up: the session ends as `connectionClosed`, nothing half-stored.
            return try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch let error as SyncError {
            throw error
        } catch {
            throw .connectionClosed
        }
    }
}

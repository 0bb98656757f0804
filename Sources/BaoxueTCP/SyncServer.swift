import BaoxueSync
import BaoxueTransport
import NIOCore
import NIOPosix

/// A replica listening for peers over TCP: each accepted connection runs
/// one responder session against the store.
public final class SyncServer: Sendable {
    private let channel: any Channel
    /// The port actually bound (useful with port 0).
    public let port: Int

    private init(channel: any Channel) {
        self.channel = channel
        port = channel.localAddress?.port ?? 0
    }

    /// Binds `host:port` and serves until `stop()`. `makeEndpoint` builds a
    /// responder for each connection; `onSession` hears how each ended.
    public static func start(
        host: String, port: Int,
        makeEndpoint: @escaping @Sendable (UInt64) throws(SyncError) -> SyncEndpoint,
        onSession: @escaping @Sendable (Result<SyncSummary, SyncError>) -> Void = { _ in }
    ) async throws(SyncError) -> SyncServer {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let promise = channel.eventLoop.makePromise(of: SyncSummary.self)
                promise.futureResult.whenComplete { result in
                    onSession(result.mapError { $0 as? SyncError ?? .connectionClosed })
                }
                do {
                    let endpoint = try makeEndpoint(SyncConnectionHandler.now())
                    return channel.pipeline.addHandler(SyncConnectionHandler(endpoint: endpoint, completion: promise, progress: nil))
                } catch {
                    promise.fail(error)
                    return channel.close()
                }
            }
        do {
            return SyncServer(channel: try await bootstrap.bind(host: host, port: port).get())
        } catch {
            throw .store("cannot listen on \(host):\(port): \(error)")
        }
    }

    public func stop() async {
        try? await channel.close()
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

import BaoxueCore
import BaoxueSync
import BaoxueTransport
import Dispatch
import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// Carries one sync session over a TCP connection.
///
/// The session and its store work run on a serial queue of their own, so
/// SQLite commits never stall the event loop; reads hop to that queue in
/// order. Its one timer is a repeated task on the channel's event loop.
/// Invariant: the completion promise is fulfilled exactly once, and
/// the connection closes only after the session's last bytes are written.
///
/// `@unchecked Sendable`: its mutable state is touched only on `queue` (or, with
/// `inline`, on the event loop); the counters shared with the event loop are locked boxes.
package final class SyncConnectionHandler: ChannelInboundHandler, @unchecked Sendable {
    package typealias InboundIn = ByteBuffer

    /// Bytes read but not yet processed; above this the peer is flooding.
    static let maxBacklog = 16 << 20
    /// Backpressure: above this many unprocessed bytes the socket is no longer read (the peer's
    /// TCP window fills and it waits); reading resumes below `resumeBelow`. Keeps memory per
    /// connection small when the session executors fall behind.
    static let pauseAbove = 256 << 10
    static let resumeBelow = 64 << 10
    /// Timeouts are 15 s and 60 s: checking once a second is ample, and cheap with thousands of connections.
    static let tickInterval = TimeAmount.seconds(1)

    /// The serial executors all connections' session work runs on (two per core). Session work
    /// blocks on SQLite, so letting each connection take a thread from the global pool would, with
    /// thousands of connections, exhaust the pool while they wait for the database's few readers.
    static let executors: [DispatchQueue] = (0..<max(2, 2 * ProcessInfo.processInfo.activeProcessorCount)).map {
        DispatchQueue(label: "baoxue.sync.executor.\($0)")
    }
    private static let assigned = NIOLockedValueBox(0)

    /// The shared executor a server's connection number `n` is set up on.
    static func executor(for n: UInt64) -> DispatchQueue { executors[Int(n % UInt64(executors.count))] }

    /// This connection's own serial queue, on one of the shared executors.
    private let queue = DispatchQueue(
        label: "baoxue.sync.connection",
        target: SyncConnectionHandler.executors[
            SyncConnectionHandler.assigned.withLockedValue {
                $0 += 1
                return $0
            } % SyncConnectionHandler.executors.count])
    private var endpoint: SyncEndpoint
    private let completion: EventLoopPromise<SyncSummary>
    private let progress: (@Sendable (SyncSummary) -> Void)?
    private let backlog = NIOLockedValueBox(0)
    private let paused = NIOLockedValueBox(false)
    /// The tick, set on the event loop and cancelled from the queue when the session settles.
    private let timer = NIOLockedValueBox<RepeatedTask?>(nil)
    /// Session work runs on the caller's thread instead of `queue`: for `EmbeddedChannel`
    /// tests, where the event loop is the test's own thread.
    private let inline: Bool
    private var completed = false
    private let sessionGuard: (any SessionGuard)?
    private let connection: UInt64
    private var identified: PublicKey?
    /// Told once the peer proved its key (the server stops counting the socket as handshaking).
    private let onIdentified: (@Sendable () -> Void)?
    /// Told once how the session ended, with its last counters (the server's log line).
    private let onEnded: (@Sendable (SyncSummary, Result<SyncSummary, SyncError>) -> Void)?
    /// Where the session stands with the guard's admission (only the queue touches it).
    private var admission = Admission.open
    /// Bytes that arrived while waiting for admission, fed to the session once admitted.
    private var held: [[UInt8]] = []

    private enum Admission {
        /// Not yet identified, or admitted: bytes go to the session.
        case open
        /// Identified and queued for a slot since this time (ms): bytes are held, ticks suspended.
        case waiting(since: UInt64)
    }

    package init(
        endpoint: SyncEndpoint, completion: EventLoopPromise<SyncSummary>, progress: (@Sendable (SyncSummary) -> Void)?,
        guard sessionGuard: (any SessionGuard)? = nil, connection: UInt64 = 0,
        identified: (@Sendable () -> Void)? = nil, ended: (@Sendable (SyncSummary, Result<SyncSummary, SyncError>) -> Void)? = nil,
        inline: Bool = false
    ) {
        self.inline = inline
        onIdentified = identified
        onEnded = ended
        self.endpoint = endpoint
        self.completion = completion
        self.progress = progress
        self.sessionGuard = sessionGuard
        self.connection = connection
    }

    /// Consults the guard once the peer is known, and for every read after that.
    private func check(_ bytes: Int, on channel: any Channel) {
        guard !endpoint.isOver else { return }
        var refusal: SyncError?
        if let peer = identified {
            refusal = sessionGuard?.received(bytes, from: peer)
        } else if let peer = endpoint.progress.peer {
            identified = peer
            onIdentified?()
            guard let sessionGuard else { return }
            refusal = sessionGuard.identified(peer, connection: connection)
            if refusal == nil, !sessionGuard.admit(connection: connection, granted: { [weak self] in self?.admitted(channel) }) {
                admission = .waiting(since: Self.now())
                pause(channel)
            }
        }
        if let refusal { send(endpoint.abort(refusal, now: Self.now()), on: channel) }
    }

    /// Runs session work in order: on `queue`, or at once when `inline`.
    private func run(_ work: @escaping @Sendable () -> Void) {
        if inline { work() } else { queue.async(execute: work) }
    }

    /// A slot freed up: the session goes on with what arrived meanwhile.
    private func admitted(_ channel: any Channel) {
        run {
            guard case .waiting = self.admission else { return }
            self.admission = .open
            let bytes = self.held
            self.held = []
            for chunk in bytes where !self.endpoint.isOver {
                self.send(self.endpoint.receive(chunk, now: Self.now()), on: channel)
                self.check(chunk.count, on: channel)
            }
            self.resumeIfIdle(channel)
            self.settle(channel)
        }
    }

    /// While waiting for admission the session's own timeouts are suspended; past the guard's
    /// limit the device is told the relay is busy.
    private func tick(_ channel: any Channel) {
        if case .waiting(let since) = admission {
            guard let sessionGuard, Self.now() &- since > sessionGuard.admissionWaitMs else { return }
            send(endpoint.abort(.overLimit("server_busy"), now: Self.now()), on: channel)
        } else {
            send(endpoint.tick(now: Self.now()), on: channel)
            resumeIfIdle(channel)
        }
        settle(channel)
    }

    /// Routes a pipelined store's completions, a loader's bytes and a later desk's answer back onto this
    /// connection's queue.
    private func wireStoreCompletions(_ channel: any Channel) {
        endpoint.onStored = { [weak self] batch, result in
            self?.complete(on: channel, resume: true) { $0.stored(batch: batch, result: result, now: Self.now()) }
        }
        endpoint.onLoaded = { [weak self] result in self?.complete(on: channel) { $0.loaded(result, now: Self.now()) } }
        endpoint.onAnswered = { [weak self] result in self?.complete(on: channel) { $0.answered(result, now: Self.now()) } }
    }

    /// Carries out `step` on the endpoint on this connection's queue, unless the session ended meanwhile,
    /// and sends what it returns; `resume`: reading from the peer may go on (a store made room).
    private func complete(on channel: any Channel, resume: Bool = false, _ step: @escaping @Sendable (inout SyncEndpoint) -> [UInt8]) {
        run {
            guard !self.endpoint.isOver else { return }
            self.send(step(&self.endpoint), on: channel)
            if resume { self.resumeIfIdle(channel) }
            self.settle(channel)
        }
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds / 1_000_000 }

    package func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        run {
            self.wireStoreCompletions(channel)
            self.send(self.endpoint.start(now: Self.now()), on: channel)
        }
        let task = context.eventLoop.scheduleRepeatedTask(initialDelay: Self.tickInterval, delay: Self.tickInterval) { [weak self] _ in
            guard let self else { return }
            self.run { self.tick(channel) }
        }
        timer.withLockedValue { $0 = task }
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard let bytes = buffer.readBytes(length: buffer.readableBytes), !bytes.isEmpty else { return }
        let pending = backlog.withLockedValue {
            $0 += bytes.count
            return $0
        }
        guard pending <= Self.maxBacklog else {
            context.close(promise: nil)
            return
        }
        let channel = context.channel
        if pending > Self.pauseAbove { pause(channel) }
        run {
            self.backlog.withLockedValue { $0 -= bytes.count }
            guard !self.endpoint.isOver else { return }
            if case .waiting = self.admission {
                self.held.append(bytes)
                self.pause(channel)
                return
            }
            self.send(self.endpoint.receive(bytes, now: Self.now()), on: channel)
            self.check(bytes.count, on: channel)
            // While the store is behind, every connection waits (new sessions too): this bounds the
            // sessions in progress, hence memory, at the cost of latency for those arriving.
            if self.endpoint.storageIsBusy { self.pause(channel) }
            self.resumeIfIdle(channel)
            self.settle(channel)
        }
    }

    /// Stops reading from the socket (once; the peer's TCP window then fills and it waits).
    private func pause(_ channel: any Channel) {
        guard
            paused.withLockedValue({ p in
                defer { p = true }
                return !p
            })
        else { return }
        channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
    }

    /// Reads again once this connection's own backlog is small and the store keeps up
    /// (checked after each read, each stored batch and each tick).
    private func resumeIfIdle(_ channel: any Channel) {
        if case .waiting = admission { return }
        guard backlog.withLockedValue({ $0 }) < Self.resumeBelow, !endpoint.storageIsBusy,
            paused.withLockedValue({ p in
                defer { p = false }
                return p
            })
        else { return }
        channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
    }

    package func channelInactive(context: ChannelHandlerContext) {
        let channel = context.channel
        timer.withLockedValue { $0 }?.cancel()
        run {
            // What a peer queued for a slot sent before leaving is still heard (its last message, an ABORT,
            // says why it left); the replies go nowhere.
            let bytes = self.held
            self.held = []
            for chunk in bytes where !self.endpoint.isOver { _ = self.endpoint.receive(chunk, now: Self.now()) }
            self.endpoint.closed(now: Self.now())
            self.settle(channel)
        }
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private var lastWrite: EventLoopFuture<Void>?

    private func send(_ bytes: [UInt8], on channel: any Channel) {
        guard !bytes.isEmpty else { return }
        lastWrite = channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Reports progress; once the session is over, completes and hangs up after the last write.
    private func settle(_ channel: any Channel) {
        progress?(endpoint.progress)
        guard let result = endpoint.result, !completed else { return }
        completed = true
        timer.withLockedValue { $0 }?.cancel()
        let error: SyncError? = if case .failure(let error) = result { error } else { nil }
        sessionGuard?.ended(connection: connection, peer: identified, progress: endpoint.progress, error: error)
        onEnded?(endpoint.progress, result)
        // The caller hears the end only once the last bytes (an ABORT saying why) are written: a CLI that
        // exits on the result would otherwise cut them off, and the peer would see only a closed connection.
        let completion = self.completion
        (lastWrite ?? channel.eventLoop.makeSucceededVoidFuture()).whenComplete { _ in
            channel.close(promise: nil)
            completion.completeWith(result.mapError { $0 as any Error })
        }
    }
}

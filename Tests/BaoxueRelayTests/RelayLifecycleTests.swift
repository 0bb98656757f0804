import BaoxueApp
import BaoxueRelay
import BaoxueTesting
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// The relay's life (issue 26 §1): run as a swift-service-lifecycle `Service`, a graceful shutdown stops it
/// and the group returns; `shutdown` called twice at once stops it once, and both calls return stopped.
@Suite struct RelayLifecycleTests {
    func relay() async throws -> Relay {
        let town = Township(root: Fixtures.temporaryDirectory("relay-life"))
        _ = try town.makeRelay()
        return try await RelayCommands.start(RelayCommands.ServeOptions(directory: town.relayDirectory, listen: "127.0.0.1:0"))
    }

    @Test(.timeLimit(.minutes(1))) func aGracefulShutdownOfItsServiceGroupStopsTheRelay() async throws {
        let relay = try await relay()
        #expect(relay.stage == .serving)
        let group = ServiceGroup(configuration: .init(services: [relay], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(Loopback.accepts(port: relay.port))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(relay.stage == .stopped)
        #expect(!Loopback.accepts(port: relay.port))
    }

    @Test(.timeLimit(.minutes(1))) func shutdownAskedTwiceAtOnceStopsOnceAndBothReturnStopped() async throws {
        let relay = try await relay()
        async let first: Void = relay.shutdown(graceMs: 1_000)
        async let second: Void = relay.shutdown(graceMs: 1_000)
        _ = await (first, second)
        #expect(relay.stage == .stopped)
        await relay.shutdown()
        #expect(relay.stage == .stopped)
    }
}

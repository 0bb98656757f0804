import BaoxueApp

/// The field app's one sync at a time: started from the 同步 page, it runs on after the page is
/// left, and every page load or progress poll reads where it stands.
///
/// Invariant: at most one sync runs; `state` moves idle → running → finished or failed, and a new
/// sync may start only from a state that is not running.
actor SyncJob {
    enum State: Sendable {
        case idle
        case running(peer: String, progress: SyncProgress?)
        case finished(peer: String, view: SyncView)
        case failed(peer: String, message: String)
    }

    private(set) var state: State = .idle
    /// The address last synced with, offered again on the page.
    private(set) var lastPeer: String?

    init(peer: String?) { lastPeer = peer }

    var isRunning: Bool {
        if case .running = state { return true }
        return false
    }

    /// Starts syncing `device` with `peer`; false (and nothing started) while one runs.
    func start(_ device: FieldDevice, peer: String, language: Language) -> Bool {
        guard !isRunning else { return false }
        state = .running(peer: peer, progress: nil)
        lastPeer = peer
        Task {
            for await event in await device.sync(peer: peer) { self.apply(event, peer: peer, language: language) }
        }
        return true
    }

    private func apply(_ event: SyncEvent, peer: String, language: Language) {
        switch event {
        case .progress(let p):
            state = .running(peer: peer, progress: p)
        case .finished(let view): state = .finished(peer: peer, view: view)
        case .failed(let error): state = .failed(peer: peer, message: error.line(language))
        }
    }
}

import BaoxueCore
import BaoxueSodium

/// Who may use the app, held in memory while `baoxue ui` runs: the access token printed at start
/// (as Jupyter does), the sessions it opened (each a random cookie value with its own CSRF token),
/// and the form submissions already carried out, so a double tap writes once.
///
/// Invariant: a session exists only after the token was presented; the token, session ids and
/// CSRF tokens are 32 random bytes, compared in constant time.
actor WebSessions {
    struct Session {
        let csrf: String
        var lastSeenMs: UInt64
    }

    let token: String
    private var sessions: [String: Session] = [:]
    private var submitted: Set<String> = []
    private var submittedOrder: [String] = []

    init(token: String) { self.token = token }

    static func randomToken() -> String { Hex.encode(Sodium.randomBytes(32)) }

    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A new session when `presented` is the access token; nil otherwise.
    func open(presented: String, now: UInt64) -> String? {
        guard Self.same(presented, token) else { return nil }
        let id = Self.randomToken()
        sessions[id] = Session(csrf: Self.randomToken(), lastSeenMs: now)
        return id
    }

    /// The session's CSRF token when `id` is a live session (and notes the visit).
    func session(_ id: String?, now: UInt64) -> String? {
        guard let id, var s = sessions[id] else { return nil }
        s.lastSeenMs = now
        sessions[id] = s
        return s.csrf
    }

    /// Claims a form's one-time nonce: true the first time, false for a resubmission.
    func claim(_ nonce: String) -> Bool {
        guard nonce.count == 64, submitted.insert(nonce).inserted else { return false }
        submittedOrder.append(nonce)
        if submittedOrder.count > 10_000 { submitted.remove(submittedOrder.removeFirst()) }
        return true
    }

    /// Gives a nonce back when what it guarded was refused, so the corrected form can be sent.
    func release(_ nonce: String) {
        submitted.remove(nonce)
    }
}

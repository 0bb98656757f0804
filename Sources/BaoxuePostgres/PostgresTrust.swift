import BaoxueCore
import BaoxueLog
import BaoxueTrust
import Logging
import NIOConcurrencyHelpers
import PostgresNIO

/// The trust gate's side of a log on PostgreSQL: the pinned authority, and this process's copy of
/// the certificates, revocations and rulings every process learnt (`log_certificate`,
/// `log_revocation`, `log_ruling`).
///
/// Invariant: the copy is as of `log_trust_epoch`, which every transaction that learns something
/// moves on by one and every gated append reads. So two processes never both decide on a trust fact
/// one of them is changing: PostgreSQL's SERIALIZABLE aborts one, and its rerun reads the new facts.
/// The copy is replaced only after a commit: a rerun starts from what committed.
public final class PostgresTrust: Sendable {
    public let authority: PublicKey
    // A boxed lock, not `Synchronization.Mutex`: with a `Mutex<TrustBook>` here, a relay process built
    // by Swift 6.3 (release, Linux) freed an unrelated closure twice at start-up, every time, once
    // `TrustBook` gained one more stored array (the 2026-12-04 core dump; ClusterDrillTests).
    private let book = NIOLockedValueBox(TrustBook())

    public init(authority: PublicKey) { self.authority = authority }

    /// The copy as of the last commit this process saw.
    public var current: TrustBook { book.withLockedValue { $0 } }

    /// Keeps `newer` once its transaction committed, unless a later one was kept meanwhile.
    func adopt(_ newer: TrustBook) {
        book.withLockedValue { if newer.epoch >= $0.epoch { $0 = newer } }
    }

    /// `book` brought up to the epoch this transaction sees (reading only what it lacks).
    static func caughtUp(_ book: TrustBook, connection: PostgresConnection, logger: Logger) async throws -> TrustBook {
        var epoch: Int64 = 0
        for try await value in try await connection.query("SELECT epoch FROM log_trust_epoch", logger: logger).decode(Int64.self) {
            epoch = value
        }
        guard epoch != book.epoch else { return book }
        var book = book
        let since = epoch > book.epoch ? book.epoch : -1
        if since < 0 { book = TrustBook() }
        for try await encoded in try await connection.query(
            "SELECT encoded FROM log_certificate WHERE epoch > \(since) ORDER BY epoch, subject", logger: logger
        ).decode(ByteBuffer.self) {
            guard let certificate = try? Certificate.decode(encoded.bytes) else { throw PostgresLogError.corruptRow("certificate") }
            try book.store(certificate)
        }
        for try await (encoded, change) in try await connection.query(
            "SELECT encoded, change FROM log_revocation WHERE epoch > \(since) ORDER BY epoch, subject", logger: logger
        ).decode((ByteBuffer, ByteBuffer).self) {
            guard let revocation = try? Revocation.decode(encoded.bytes), let id = try? ChangeID(bytes: change.bytes) else {
                throw PostgresLogError.corruptRow("revocation")
            }
            try book.store(revocation, in: id)
        }
        for try await (target, kind, change) in try await connection.query(
            "SELECT target, kind, change FROM log_ruling WHERE epoch > \(since) ORDER BY epoch, target", logger: logger
        ).decode((ByteBuffer, Int16, ByteBuffer).self) {
            guard let kind = Ruling.Kind(rawValue: UInt8(clamping: kind)), let target = try? ChangeID(bytes: target.bytes),
                let id = try? ChangeID(bytes: change.bytes)
            else { throw PostgresLogError.corruptRow("ruling") }
            try book.store(Ruling(kind: kind, target: target), in: id)
        }
        book.saved()
        book.epoch = epoch
        return book
    }

    /// Writes what the rules taught `book` in this transaction, under the next epoch; returns the book as saved.
    static func save(_ book: TrustBook, connection: PostgresConnection, logger: Logger) async throws -> TrustBook {
        guard !book.unsaved.isEmpty else { return book }
        var epoch = book.epoch + 1
        for try await value in try await connection.query(
            "UPDATE log_trust_epoch SET epoch = epoch + 1 RETURNING epoch", logger: logger
        ).decode(Int64.self) { epoch = value }
        for entry in book.unsaved {
            switch entry {
            case .certificate(let c):
                try await connection.query(
                    """
                    INSERT INTO log_certificate (encoded, subject, may_issue, epoch)
                    VALUES (\(c.encoded.buffer), \(c.subject.bytes.buffer), \(c.mayIssue), \(epoch)) ON CONFLICT DO NOTHING
                    """, logger: logger)
            case .revocation(let r, let change):
                try await connection.query(
                    """
                    INSERT INTO log_revocation (encoded, subject, revoked_at, change, epoch)
                    VALUES (\(r.encoded.buffer), \(r.subject.bytes.buffer), \(Int64(r.revokedAt)), \(change.bytes.buffer), \(epoch))
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            case .ruling(let r, let change):
                try await connection.query(
                    """
                    INSERT INTO log_ruling (target, kind, change, epoch)
                    VALUES (\(r.target.bytes.buffer), \(Int16(r.kind.rawValue)), \(change.bytes.buffer), \(epoch)) ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
        }
        var saved = book
        saved.saved()
        saved.epoch = epoch
        return saved
    }
}

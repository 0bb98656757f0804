/// A relay's enrollment holding area as rows (sync.md §3.1): a device's request and, once an admin
/// decided, the encoded decision. A table beside the log, not in it: nothing here is ever
/// reconciled, synced or served to a device (the desk's rules are `EnrollmentDesk`'s, in the relay).
/// The same rows in SQLite (`enrollment_desk`) and PostgreSQL (`relay_enrollment_desk`).
public struct EnrollmentDeskRow: Sendable, Equatable {
    public let subject: PublicKey
    public let request: [UInt8]
    public let receivedAt: UInt64
    /// The decision's bytes as the desk encodes them, nil while the request waits.
    public let decision: [UInt8]?
    public let decidedAt: UInt64?

    public init(subject: PublicKey, request: [UInt8], receivedAt: UInt64, decision: [UInt8]?, decidedAt: UInt64?) {
        self.subject = subject
        self.request = request
        self.receivedAt = receivedAt
        self.decision = decision
        self.decidedAt = decidedAt
    }
}

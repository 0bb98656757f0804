import BaoxueCore
import BaoxueSync
import BaoxueTrust

/// One request in a desk's holding area, with the decision on it once made.
public struct HeldEnrollment: Sendable, Equatable {
    public let request: EnrollmentRequest
    /// When the desk received the request (ms); a newer request from the same device replaces it.
    public let receivedAt: UInt64
    /// `.waiting` until an admin decides.
    public var answer: DeskMessage.EnrollmentAnswer
    public var decidedAt: UInt64?

    public init(request: EnrollmentRequest, receivedAt: UInt64, answer: DeskMessage.EnrollmentAnswer = .waiting, decidedAt: UInt64? = nil) {
        self.request = request
        self.receivedAt = receivedAt
        self.answer = answer
        self.decidedAt = decidedAt
    }

    /// The row a storage keeps for it.
    public var row: EnrollmentDeskRow {
        EnrollmentDeskRow(
            subject: request.subject, request: request.encoded, receivedAt: receivedAt,
            decision: answer == .waiting ? nil : SyncMessage.desk(.enrollment(answer)).encoded(), decidedAt: decidedAt)
    }

    /// The entry a stored row holds; nil for a row that no longer parses (a doctored file or table):
    /// it is dropped, not served.
    public init?(row: EnrollmentDeskRow) {
        guard let request = try? EnrollmentRequest.decode(row.request), request.subject == row.subject else { return nil }
        var answer = DeskMessage.EnrollmentAnswer.waiting
        if let decision = row.decision {
            guard case .desk(.enrollment(let decided))? = try? SyncMessage.decode(decision) else { return nil }
            answer = decided
        }
        self.init(request: request, receivedAt: row.receivedAt, answer: answer, decidedAt: row.decidedAt)
    }
}

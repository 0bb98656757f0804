import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueStore

/// One line of `baoxue log`: a stored change, re-verified as it is listed.
public struct LogRow: Encodable, Equatable, Sendable {
    public let position: Int64
    public let id: String
    public let author: String
    public let seq: UInt64
    public let hlc: String
    public let scope: String
    public let state: String
    public let deps: Int
    public let payloadBytes: Int
    /// What the payload's operations do, e.g. "event visit; set child.status" (no personal data).
    public let operations: String?
    /// The payload is sealed (privacy.md); `operations` is what this device read inside, or nil.
    public let encrypted: Bool
    /// For a sealed payload: the operations its header declares (what a relay sees).
    public let declared: String?
    /// True when the stored bytes still verify under the author's key.
    public let verified: Bool

    /// `readable`: the payload as this device opened it, for a sealed one.
    init(_ entry: LogEntry, readable: RecordPayload? = nil) {
        let c = entry.change
        position = entry.position
        id = c.id.hex
        author = c.author.fingerprint.text
        seq = c.seq
        hlc = c.timestamp.description
        scope = c.scope.value
        state =
            switch entry.state {
            case .applied: "applied"
            case .pending: "pending"
            case .held: "held"
            case .quarantined: "quarantined"
            }
        deps = c.deps.count
        payloadBytes = c.payload.count
        encrypted = SealedPayload.isSealed(c.payload)
        declared =
            encrypted ? (try? SealedPayload(bytes: c.payload)).map { $0.declared.operations.map(\.rawValue).joined(separator: ",") } : nil
        operations = (readable ?? (try? RecordPayload.decode(c.payload)))?.ops.map(\.summary).joined(separator: "; ")
        verified = (try? Change.decode(c.encoded)) != nil
    }

    public func text(_ l: Language) -> String {
        let stateText =
            switch state {
            case "applied": l.say(TrustMessages.applied)
            case "pending": l.say(TrustMessages.pending)
            case "quarantined": l.say(TrustMessages.quarantined)
            default: l.say(TrustMessages.held)
            }
        let mark = verified ? l.say(TrustMessages.signatureOk) : l.say(TrustMessages.signatureInvalid)
        let content =
            encrypted
            ? l.say(TrustMessages.encrypted)
                + (operations ?? l.say(TrustMessages.noKeyHereDeclares, declared ?? "?"))
            : operations ?? l.say(TrustMessages.notRecordPayloadBytes, payloadBytes)
        return "#\(position) \(id.prefix(16)) \(author) seq=\(seq) hlc=\(hlc) [\(scope)] \(stateText) \(mark) \(content)"
    }
}

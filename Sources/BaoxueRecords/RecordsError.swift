/// Everything the records layer refuses, each case naming the field or cause.
public enum RecordsError: Error, Equatable, Sendable {
    /// A required field is missing or empty.
    case missingField(String)
    /// A field's value breaks its rule (field name, what is wrong).
    case invalidField(String, reason: String)
    /// A close-out (销号) without evidence attachments or without a note.
    case closeOutWithoutEvidence
    /// The payload is not a record-operations payload this version understands.
    case malformedPayload(String)
    /// The payload breaks a rule of format 2 (`PayloadFault`, what was being read).
    case unreadable(PayloadFault, String)
    /// Too many operations or too large a value in one payload.
    case payloadTooLarge
}

extension RecordsError {
    /// What `rec_rejected` keeps: the same text on every replica. An unreadable payload gives
    /// its fault's code from records.md §1.9 (`unreadable_payload: not_nfc: name`).
    public var rejectionReason: String {
        if case .unreadable(let fault, let what) = self { return "unreadable_payload: \(fault.rawValue): \(what)" }
        return "\(self)"
    }
}

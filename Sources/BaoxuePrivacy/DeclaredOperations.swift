import BaoxueRecords
import BaoxueTrust

/// The operations a change performs, as a 16-bit mask carried in clear in an
/// encrypted payload's header: the relay checks roles against it without
/// reading the payload, and every reader checks after decrypting that the
/// payload does nothing it did not declare (privacy.md §3).
/// Each operation has its own fixed bit (`Operation.bit`, listed in privacy.md §3.1 and the vectors).
public struct DeclaredOperations: Sendable, Equatable {
    public let mask: UInt16

    public init(mask: UInt16) throws(PrivacyError) {
        guard mask & ~Self.known == 0 else { throw .malformed("unknown operation bits \(mask)") }
        self.mask = mask
    }

    public init(_ operations: some Sequence<Operation>) {
        var m: UInt16 = 0
        for op in operations { m |= op.bit }
        mask = m
    }

    /// The operations of a record payload's ops.
    public init(of payload: RecordPayload) {
        self.init(payload.ops.map(Permissions.operation(of:)))
    }

    public var operations: [Operation] {
        Operation.allCases.filter { mask & $0.bit != 0 }
    }

    /// Throws unless every operation of `payload` is declared here.
    public func check(covers payload: RecordPayload) throws(PrivacyError) {
        let actual = DeclaredOperations(of: payload).mask
        guard actual & ~mask == 0 else {
            throw .undeclaredOperation(DeclaredOperations(unchecked: actual & ~mask).operations.map(\.rawValue).joined(separator: ","))
        }
    }

    private init(unchecked mask: UInt16) { self.mask = mask }
    private static let known: UInt16 = Operation.allCases.reduce(0) { $0 | $1.bit }
}

import BaoxueCore
import BaoxueSodium

/// The attacker of privacy.md §4, automated: someone holding only a relay's database and a
/// school's roster in file order tries to tell which children are on a ledger (辍学台账) and to
/// recover ID numbers, the way a reviewer did against protocol v1.
///
/// The attack: map the first roster-size sealed changes of the school to roster rows in order (a
/// roster import writes one child per change), then link later changes to each row by every field
/// a relay sees in clear — payload size, declared class, author, key epoch, deps, hour — and score
/// each child by how many later changes share its value, and how many of those are admin-class.
/// Each score is judged by its AUC against the truth: 0.5 is chance. Under chance the AUC of
/// n₁ flagged against n₀ others has σ = √((n₁ + n₀ + 1) / (12 n₁ n₀)); a score separates when
/// |AUC − 0.5| > 3.3 σ (two-sided p < 0.001 each, under 0.02 for the 14 scores together).
///
/// Invariant: it reads only what a relay stores (the changes' bytes); the truth is used to score.
public struct RelayInference: Sendable {
    /// One way of scoring children, and how well it separates the flagged ones (AUC).
    public struct Finding: Sendable, Equatable {
        public let strategy: String
        public let auc: Double
    }

    public static let z = 3.3

    public let findings: [Finding]
    /// σ of the AUC under chance for this many flagged and other children.
    public let sigma: Double
    /// ID numbers found in the relay's bytes, in any of ASCII (= GBK), UTF-16, or as the record
    /// id or the unkeyed BLAKE2b-128 a v1 relay exposed.
    public let idNumbersFound: Int
    public let children: Int
    public let flagged: Int

    public var bound: Double { Self.z * sigma }
    /// The finding farthest from chance.
    public var worst: Finding {
        findings.max { abs($0.auc - 0.5) < abs($1.auc - 0.5) } ?? Finding(strategy: "none", auc: 0.5)
    }
    /// True when some score tells flagged children from the rest better than chance allows.
    public var separates: Bool { abs(worst.auc - 0.5) > bound }

    /// - Parameters:
    ///   - changes: the relay's changes of one school, in the relay's storage order.
    ///   - flagged: per roster row, in file order: whether the child is on a ledger (the truth).
    ///   - idNumbers: per roster row, the ID number; `recordIDs`: the child's record id (16 bytes).
    ///   - link: a control only: a clear field the attacker is *given* (say, v1's content key id).
    public init(
        changes: [Change], flagged: [Bool], idNumbers: [String], recordIDs: [[UInt8]], link: (@Sendable (Change) -> [UInt8]?)? = nil
    ) {
        children = flagged.count
        self.flagged = flagged.filter { $0 }.count
        let n1 = Double(self.flagged)
        let n0 = Double(children - self.flagged)
        sigma = n1 > 0 && n0 > 0 ? ((n1 + n0 + 1) / (12 * n1 * n0)).squareRoot() : 0
        let sealed = changes.filter { SealedPayload.isSealed($0.payload) }
        let imports = Array(sealed.prefix(children))
        let later = Array(sealed.dropFirst(children))
        var keys: [(String, @Sendable (Change) -> [UInt8]?)] = [
            ("size", { c in Self.bytes(c.payload.count) }),
            ("class", { c in [c.payload[3]] }),
            ("author", { c in c.author.bytes }),
            ("epoch", { c in SealedPayload.scopeKeyID(of: c.payload) }),
            ("deps", { c in c.deps.flatMap(\.bytes) }),
            ("hour", { c in Self.bytes(Int(c.timestamp.milliseconds / 3_600_000)) }),
        ]
        if let link { keys.append(("given link", link)) }
        var findings: [Finding] = []
        let truth = Array(flagged.prefix(imports.count))
        for (name, key) in keys {
            var all: [[UInt8]: Int] = [:]
            var admin: [[UInt8]: Int] = [:]
            for c in later {
                guard let k = key(c) else { continue }
                all[k, default: 0] += 1
                if c.payload.count > 3, c.payload[3] == DeclaredClass.admin.rawValue { admin[k, default: 0] += 1 }
            }
            let groups = imports.map { c in key(c).map { all[$0] ?? 0 } ?? 0 }
            let admins = imports.map { c in key(c).map { admin[$0] ?? 0 } ?? 0 }
            findings.append(Finding(strategy: "later changes sharing \(name)", auc: Self.auc(groups.map(Double.init), truth)))
            findings.append(Finding(strategy: "admin-class changes sharing \(name)", auc: Self.auc(admins.map(Double.init), truth)))
        }
        findings.append(Finding(strategy: "own size", auc: Self.auc(imports.map { Double($0.payload.count) }, truth)))
        findings.append(Finding(strategy: "own time", auc: Self.auc(imports.map { Double($0.timestamp.packed) }, truth)))
        self.findings = findings
        idNumbersFound = Self.search(changes, idNumbers: idNumbers, recordIDs: recordIDs)
    }

    /// The area under the ROC curve of `scores` for the `truth` labels (ties count half).
    public static func auc(_ scores: [Double], _ truth: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, scores[order[j + 1]] == scores[order[i]] { j += 1 }
            for k in i...j { ranks[order[k]] = Double(i + j) / 2 + 1 }
            i = j + 1
        }
        let n1 = Double(truth.filter { $0 }.count)
        let n0 = Double(truth.count) - n1
        guard n1 > 0, n0 > 0 else { return 0.5 }
        let sum = zip(ranks, truth).filter(\.1).map(\.0).reduce(0, +)
        return (sum - n1 * (n1 + 1) / 2) / (n1 * n0)
    }

    /// How many ID numbers appear in the changes' bytes in any form a v1 relay or a careless encoder could leave.
    static func search(_ changes: [Change], idNumbers: [String], recordIDs: [[UInt8]]) -> Int {
        let haystack = changes.flatMap(\.encoded)
        var found = 0
        for (i, number) in idNumbers.enumerated() where !number.isEmpty {
            let ascii = Array(number.utf8)
            var forms = [
                ascii, number.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] },
                number.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] },
            ]
            forms.append(Blake2b.hash(ascii, length: 16))
            if i < recordIDs.count { forms.append(recordIDs[i]) }
            if forms.contains(where: { haystack.firstRange(of: $0) != nil }) { found += 1 }
        }
        return found
    }

    private static func bytes(_ n: Int) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * $0)) } }
}

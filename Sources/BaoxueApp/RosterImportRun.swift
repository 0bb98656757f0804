import BaoxueCore
import BaoxueRecords
import BaoxueStore
import Foundation

/// What `baoxue child import` did: rows read, children added, updated
/// (fields that changed), already up to date, and each row refused with why.
public struct ImportReport: Codable, Equatable, Sendable {
    public let file: String
    public let source: RosterSource
    public let encoding: String
    public let scope: String
    public let rows: Int
    public let added: Int
    public let updated: Int
    public let unchanged: Int
    public let rejected: [RosterRejection]
    /// Household-list people outside compulsory-education age on the school year's reference day: not written.
    public var notOfSchoolAge = 0
    /// The record id of the child `child add` wrote or completed (nil for a file).
    public var child: String?

    public func lines(_ l: Language) -> [String] {
        var out: [String] = []
        if encoding != "UTF-8" {
            out.append(l.say(RegistryMessages.fileWasEncodedConvertedTo, encoding))
        }
        for r in rejected { out.append(l.say(RegistryMessages.lineNotImported, r.line, r.reason)) }
        out.append(
            l.say(RegistryMessages.rowsChildrenAddedUpdatedAlready, rows, added, updated, unchanged, rejected.count, scope))
        if notOfSchoolAge > 0 {
            out.append(
                l.say(RegistryMessages.peopleOfHouseholdListAre, notOfSchoolAge))
        }
        if !rejected.isEmpty {
            out.append(
                l.say(RegistryMessages.fixRowsNotImportedIn))
        }
        return out
    }
}

extension ReplicaCommands {
    /// Children per change: each sets at most 14 fields, and a change holds at most 256 ops.
    /// In an encrypted scope, one: a change about one child is sealed under that child's content
    /// key, so a transfer hands the child's roster fields over with the rest of its history.
    static let childrenPerChange = 16

    /// Imports a registry roster into `scope` (default: the device's only certificate scope).
    /// Each group of 16 children (one, in an encrypted scope) is one signed change committed on its own, so an import cut
    /// short resumes by running it again: children already up to date are skipped.
    /// A file that cannot be read as a whole (missing, wrong encoding, missing columns) imports nothing.
    public static func importRoster(
        directory: String, file: String, source: RosterSource, scope: String?, language l: Language,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws(AppError) -> ImportReport {
        try importRoster(
            directory: directory, roster: try RosterFile.read(file), file: file, source: source, scope: scope, language: l,
            progress: progress)
    }

    /// Imports rows already read (a file, or `child add`'s one row).
    static func importRoster(
        directory: String, roster: RosterFile, file: String, source: RosterSource, scope: String?, language l: Language,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws(AppError) -> ImportReport {
        let replica = try open(directory)
        let now = Replica.nowMilliseconds()
        let today = try day(at: now)
        let key = try attempt { () throws(StoreError) in try replica.log.registryKeyForImport() }
        var plan = try RosterPlan(roster, source: source, path: file, today: today, registryKey: key, language: l)
        // A household list names whole households: only children of compulsory-education age become children here.
        // The ages are those of the policy in force today for the school's district.
        var notOfAge = 0
        let target = try importScope(replica, scope, at: now)
        if source == .huji {
            let policy = try attempt { () throws(StoreError) in try replica.log.policyBook() }.policy(for: target, on: today)
            let (ofAge, others) = plan.bySchoolAge(policy, on: policy.ageReference(today: today))
            notOfAge = others.count
            plan.rows = ofAge
        }
        // Which rows change anything, read once; each group's ops are rebuilt inside its own transaction.
        var added = 0
        var updated = 0
        var unchanged = 0
        var pending: [RosterRow] = []
        try attempt { () throws(StoreError) in
            try replica.log.read { snapshot throws(StoreError) in
                for row in plan.rows {
                    let current = try snapshot.childRow(row.child).fields
                    if current.isEmpty {
                        added += 1
                        pending.append(row)
                    } else if try !ops(row, source: source, in: snapshot).isEmpty {
                        updated += 1
                        pending.append(row)
                    } else {
                        unchanged += 1
                    }
                }
            }
        }
        var done = 0
        let encrypted = try attempt { () throws(StoreError) in try replica.log.isEncrypted(target) }
        let perChange = encrypted ? 1 : childrenPerChange
        // One child per change in an encrypted scope: in file order, a relay would map each change to a roster row
        // (privacy.md §4). Shuffled, the order says nothing of which child a change is.
        if encrypted { pending.shuffle() }
        for start in stride(from: 0, to: pending.count, by: perChange) {
            let group = pending[start..<min(pending.count, start + perChange)]
            do throws(StoreError) {
                _ = try replica.log.appendOperations(by: replica.key, scope: target, now: Replica.nowMilliseconds()) {
                    s throws(StoreError) in
                    var all: [RecordOp] = []
                    for row in group { all += try ops(row, source: source, in: s) }
                    return all
                }
            } catch .nothingToWrite {
                // Another import on this replica wrote these children meanwhile: nothing is left to do for them.
            } catch {
                // Groups already committed stay (running the import again resumes): the message says how far it got.
                guard done > 0 else { throw .store(error) }
                throw .importInterrupted(written: done, total: pending.count, cause: error)
            }
            done += group.count
            progress(done, pending.count)
        }
        var report = ImportReport(
            file: file, source: source, encoding: roster.encoding, scope: target.value,
            rows: roster.records.count - 1, added: added, updated: updated, unchanged: unchanged,
            rejected: plan.rejected)
        report.notOfSchoolAge = notOfAge
        return report
    }

    /// Adds (or completes) one child from command-line values, with the same checks as an import row.
    /// `cells`: column name (as the student registry spells it) → value.
    public static func addChild(
        directory: String, cells: [(String, String)], scope: String?, language l: Language
    ) throws(AppError) -> ImportReport {
        guard cells.contains(where: { ["身份证件号", "全国学籍号"].contains($0.0) }) else {
            throw .invalidArgument(
                option: "child",
                value: l.say(RegistryMessages.noIdNumberAndNoStudent))
        }
        func quote(_ t: String) -> String { "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let text = cells.map { quote($0.0) }.joined(separator: ",") + "\n" + cells.map { quote($0.1) }.joined(separator: ",") + "\n"
        let roster = try RosterFile(bytes: Array(text.utf8), path: l.say(RegistryMessages.commandLine))
        let report = try importRoster(
            directory: directory, roster: roster, file: l.say(RegistryMessages.commandLine), source: .manual, scope: scope, language: l)
        if let r = report.rejected.first { throw .invalidArgument(option: "child", value: r.reason) }
        var added = report
        let number = cells.first { $0.0 == "身份证件号" }?.1 ?? cells.first { $0.0 == "全国学籍号" }?.1
        if let number { added.child = try searchChildren(open(directory).log, text: number, school: nil).first?.child.hex }
        return added
    }

    /// The fields of `row` that differ from what the replica shows. A status already recorded is
    /// never replaced by an import (a dropout stays a dropout until someone records otherwise).
    /// What importing `row` writes against what the replica shows. A registry's values are
    /// defaults (records.md §3): a field a person wrote is left alone, and a new default
    /// supersedes only the defaults before it. A child typed in by hand is a person's writes.
    static func ops(_ row: RosterRow, source: RosterSource, in s: RecordSnapshot) throws(StoreError) -> [RecordOp] {
        var ops: [RecordOp] = []
        for (field, value) in changes(row, try s.childRow(row.child).fields) {
            if source == .manual {
                ops.append(
                    .set(
                        kind: .child, record: row.child, field: field, value: value,
                        pred: try s.liveOps(kind: .child, record: row.child, field: field)))
            } else if let pred = try s.registryPred(kind: .child, record: row.child, field: field) {
                ops.append(.registryDefault(kind: .child, record: row.child, field: field, value: value, pred: pred))
            }
        }
        let groups = try s.elements(kind: .child, record: row.child, set: "focus")
        for group in row.focus where !groups.contains(group.rawValue) {
            ops.append(.add(kind: .child, record: row.child, set: "focus", element: group.rawValue))
        }
        return ops
    }

    static func changes(_ row: RosterRow, _ current: [String: FieldValue]) -> [(String, FieldValue)] {
        row.fields.filter { field, value in
            field == "status" ? current["status"] == nil : current[field] != value
        }
    }

    /// The scope given, or the device's only certificate scope; it must be one the certificate covers.
    static func importScope(_ replica: Replica, _ given: String?, at now: UInt64) throws(AppError) -> ScopeID {
        let held = (try attempt { () throws(StoreError) in try replica.log.certifiedScopes(of: replica.key.publicKey, at: now) } ?? [])
            .filter { $0 != .admin }
        if let given {
            guard let scope = try? ScopeID(given) else { throw .invalidArgument(option: "--scope", value: given) }
            guard held.isEmpty || held.contains(where: { $0.covers(scope) }) else {
                throw .scopeNotCovered(scope: given, held: held.map(\.value))
            }
            return scope
        }
        guard held.count == 1 else { throw .scopeRequired(held: held.map(\.value)) }
        return held[0]
    }
}

/// Runs a records call and maps its typed error to `AppError` (a record the rules refuse).
func attemptRecords<T>(_ body: () throws(RecordsError) -> T) throws(AppError) -> T {
    do { return try body() } catch { throw .store(.invalidRecord(error)) }
}

/// `given`, or today (UTC) by this device's clock.
func day(_ given: SimpleDate? = nil, at ms: UInt64 = Replica.nowMilliseconds()) throws(AppError) -> SimpleDate {
    if let given { return given }
    return try attemptRecords { () throws(RecordsError) in try SimpleDate(unixMilliseconds: ms) }
}

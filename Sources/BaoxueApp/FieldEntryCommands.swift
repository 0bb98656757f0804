import BaoxueCore
import BaoxuePrivacy
import BaoxueRecords
import BaoxueStore
import BaoxueTrust
import Foundation

/// What `baoxue record …` wrote: the signed change, the child, and for a new
/// case its id (persuasion attempts name it).
public struct RecordedView: Codable, Equatable, Sendable {
    public let change: String
    /// The id of the entry's first op (`change:0`): what `leave-end` and `void` name.
    public let entry: String
    public let child: String
    public let what: String
    public let caseFile: String?
    public let attachments: [String]

    public func text(_ l: Language) -> String {
        var line = l.say(EntryMessages.recordedChildSignedEntryId, what, child, entry)
        if let caseFile { line += l.say(EntryMessages.caseId, caseFile) }
        for a in attachments { line += l.say(EntryMessages.attachment, a.prefix(16)) }
        return line
    }
}

extension ReplicaCommands {
    /// Refuses (before anything is written) what this device's certificate does not permit;
    /// a replica without a pinned authority permits everything, as its peers do.
    static func checkRole(_ replica: Replica, _ operation: BaoxueTrust.Operation, _ what: String, _ l: Language) throws(AppError) {
        guard replica.log.authority != nil else { return }
        let role = try attempt { () throws(StoreError) in try replica.log.holder(of: replica.key.publicKey)?.role }
        guard let role, operation.allowedRoles.contains(role) else {
            throw .roleForbids(role: role.map { l.label($0) }, what: what)
        }
    }

    /// Records `entry` about `child` on `date` (default today) as this device's next signed change.
    /// Refuses, storing nothing: an unknown child, an entry the device's role may not make, a
    /// missing attachment, a field the record rules refuse.
    public static func record(
        directory: String, child: String, entry: FieldEntry, date: SimpleDate?, scope: String?, language l: Language
    ) throws(AppError) -> RecordedView {
        try record(try open(directory), child: child, entry: entry, date: date, scope: scope, language: l)
    }

    static func record(
        _ replica: Replica, child: String, entry: FieldEntry, date: SimpleDate?, scope: String?, language l: Language
    ) throws(AppError) -> RecordedView {
        let id = try resolveChild(replica.log, child)
        let (known, home) = try attempt { () throws(StoreError) in
            try replica.log.read { s throws(StoreError) in (try s.childRow(id), try s.scope(of: id)) }
        }
        guard !known.fields.isEmpty else { throw .childUnknown(child) }
        let now = Replica.nowMilliseconds()
        try checkRole(replica, entry.operation, entry.label(l), l)
        // Entries go where the child's record lives, unless told otherwise; a child transferred in from
        // a school this device does not cover is recorded in this device's own school.
        let target: ScopeID
        do throws(AppError) {
            target = try importScope(replica, scope ?? home?.value, at: now)
        } catch {
            guard scope == nil, case .scopeNotCovered = error else { throw error }
            target = try importScope(replica, nil, at: now)
        }
        let day = try BaoxueApp.day(date, at: now)
        // A day past the backdating limit is refused as such when the ops are checked (a clearer reason).
        let earliest = entry.earliestDay(on: day)
        if case .date(let born)? = known.fields["birthDate"], earliest < born,
            earliest.dayNumber >= day.dayNumber - Event.maxBackdateDays
        {
            throw .store(.invalidRecord(.invalidField("date", reason: "before the child was born (\(born))")))
        }
        var files: [String: (hash: String, data: Data)] = [:]
        for path in entry.files { files[path] = try AttachmentStore.read(path) }
        let evidence = files.mapValues(\.hash)
        // In an encrypted school each file travels with the record, sealed under the child's key, in
        // parts written in the same transaction (privacy.md §3.6); in a bare sandbox it stays here.
        let travels = try attempt { () throws(StoreError) in try replica.log.isEncrypted(target) }
        var parts: [AttachmentPart] = []
        if travels {
            var seen = Set<String>()
            for path in entry.files.sorted() {
                guard let f = files[path], seen.insert(f.hash).inserted else { continue }
                let name = String(path.split(separator: "/").last ?? Substring(path))
                do { parts += try AttachmentPart.split(Array(f.data), name: name, child: id) } catch {
                    throw .invalidArgument(option: "--attach", value: path)
                }
            }
        }
        let change = try attempt { () throws(StoreError) in
            try replica.log.appendOperations(by: replica.key, scope: target, now: now, attachments: parts) { s throws(StoreError) in
                try entry.ops(child: id, date: day, evidence: evidence, snapshot: s)
            }
        }
        if !travels { for (hash, data) in files.values { try AttachmentStore.save(data, hash: hash, in: replica.directory) } }
        var caseFile: String?
        if case .openCase(let c, _, _, _) = entry { caseFile = c.hex }
        return RecordedView(
            change: change.id.hex, entry: OpID(change: change.id, index: 0).text, child: id.hex,
            what: entry.label(l), caseFile: caseFile,
            attachments: entry.files.compactMap { evidence[$0] })
    }
}

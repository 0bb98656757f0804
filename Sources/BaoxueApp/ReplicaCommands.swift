import BaoxueCore
import BaoxuePrivacy
import BaoxueStore

/// What `init`, `whoami` and `log` do, apart from parsing and printing,
/// so a later web UI can call the same functions.
public enum ReplicaCommands {
    public static func initialize(directory: String) throws(AppError) -> IdentityView {
        let replica = try attempt { () throws(StoreError) in try Replica.create(at: directory) }
        return try IdentityView(replica: replica)
    }

    public static func whoami(directory: String) throws(AppError) -> IdentityView {
        try IdentityView(replica: try open(directory))
    }

    /// Stored changes in arrival order, each re-verified.
    public static func log(directory: String, limit: Int) throws(AppError) -> [LogRow] {
        guard limit > 0 else { throw .invalidArgument(option: "--limit", value: String(limit)) }
        let replica = try open(directory)
        return try attempt { () throws(StoreError) in
            try replica.log.entries(after: 0, limit: limit).map { e throws(StoreError) in
                LogRow(e, readable: SealedPayload.isSealed(e.change.payload) ? try replica.log.readablePayload(of: e.change) : nil)
            }
        }
    }

    /// Drops and re-derives the record views from the change log; reports
    /// progress as (done, total) and returns the digests of the rebuilt tables.
    public static func rebuild(directory: String, progress: @escaping (Int, Int) -> Void) throws(AppError) -> [String: String] {
        let replica = try attempt { () throws(StoreError) in try Replica.open(at: directory, views: true) }
        try attempt { () throws(StoreError) in try replica.log.rebuildViews(progress: progress) }
        return try attempt { () throws(StoreError) in try replica.log.viewDigests() }
    }

    static func open(_ directory: String) throws(AppError) -> Replica {
        try attempt { () throws(StoreError) in try Replica.open(at: directory) }
    }
}

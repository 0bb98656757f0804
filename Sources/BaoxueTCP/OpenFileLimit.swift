#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open descriptors, which bounds the sockets a server can hold.
public enum OpenFileLimit {
    /// Descriptors kept for the database (main file, WAL, readers), logs and the metrics endpoint.
    public static let reservedForFiles = 64

    /// Raises the soft limit to the hard limit (a shell's default soft limit is often 1,024) and
    /// returns the limit now in force. Only executables call it: it changes the whole process.
    @discardableResult
    public static func raiseToHard() -> UInt64 {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return 1_024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return UInt64(limit.rlim_cur)
    }

    /// The sockets a server may hold under `limit` descriptors, at most `wanted`.
    public static func sockets(wanted: Int, under limit: UInt64) -> Int {
        max(1, min(wanted, Int(min(limit, UInt64(Int.max))) - reservedForFiles))
    }
}

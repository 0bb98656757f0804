import Foundation

/// Timing and memory readings for the benchmark.
enum Measure {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Median wall time of three runs: this machine shares its cores, single runs vary by ±30%.
    static func median(_ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<3 { times.append(try seconds(body)) }
        return times.sorted()[1]
    }

    /// (current RSS, peak RSS) in MiB from /proc/self/status.
    static func memory() -> (rss: Double, peak: Double) {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Double {
            for line in text.split(separator: "\n") where line.hasPrefix(name) {
                let kb = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Double($0) } ?? 0
                return kb / 1024
            }
            return 0
        }
        return (field("VmRSS:"), field("VmHWM:"))
    }

    /// CPU seconds this process has used so far (user + system, every thread).
    static func cpuSeconds() -> Double {
        let used = cpu()
        return used.user + used.system
    }

    /// CPU seconds this process has used so far in user space and in the kernel, every thread.
    static func cpu() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return (seconds(usage.ru_utime), seconds(usage.ru_stime))
    }

    /// Bytes this process has asked the kernel to write so far (`wchar` of /proc/self/io).
    static func bytesWritten() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
            return Int(line.split(separator: " ").last ?? "") ?? 0
        }
        return 0
    }

    static func rate(_ n: Int, _ seconds: Double) -> String {
        String(format: "%9.0f/s", Double(n) / seconds)
    }
}

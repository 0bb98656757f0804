import Foundation
import Testing

extension Tag {
    /// Long or real-process tests (crash drills, thousand-schedule sweeps): `bash tools/run test --fast` skips them.
    @Tag static var soak: Self
}

/// Soak suites run unless `BAOXUE_FAST` is set (`bash tools/run test --fast`); CI runs them all.
let soakEnabled = ProcessInfo.processInfo.environment["BAOXUE_FAST"] == nil

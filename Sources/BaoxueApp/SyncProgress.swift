import BaoxueSync
import Foundation

/// How far a sync has come, as values a screen can draw and a terminal can print: whether the two
/// sides have finished reconciling, changes received and sent against what is known to be due,
/// bytes moved, and the time since the session started.
///
/// Invariant: `received ≤ toReceive` and `sent ≤ toSend` once reconciled (the session's counts);
/// `fraction` is nil until then, because before reconciling nobody knows how much is due.
public struct SyncProgress: Sendable, Equatable, Encodable {
    public let reconciled: Bool
    public let received: Int
    public let toReceive: Int
    public let sent: Int
    public let toSend: Int
    public let bytes: Int
    public let elapsedMs: UInt64

    public init(_ s: SyncSummary, elapsedMs: UInt64) {
        reconciled = s.reconciled
        received = s.receivedChanges
        toReceive = s.toReceive
        sent = s.sentChanges
        toSend = s.toSend
        bytes = s.bytesSent + s.bytesReceived
        self.elapsedMs = elapsedMs
    }

    /// Share of the due changes moved, 0…1; nil while reconciling.
    public var fraction: Double? {
        guard reconciled else { return nil }
        let total = toSend + toReceive
        return total == 0 ? 1 : min(1, Double(sent + received) / Double(total))
    }

    /// The fraction as a whole percentage, rounded down (what a bar shows); nil while reconciling.
    public var percent: Int? { fraction.map { Int(($0 * 100).rounded(.down)) } }

    /// Seconds still to go at the pace so far; nil when nothing has moved yet or all is done.
    public var secondsLeft: Int? {
        let done = sent + received
        let total = toSend + toReceive
        guard reconciled, done > 0, total > done else { return nil }
        return Int((Double(elapsedMs) / Double(done) * Double(total - done) / 1000).rounded(.up))
    }

    /// The counts in words, without the bar: `收 30/80 条，发 10/20 条，1.2 MiB，预计还需 6 秒`.
    public func text(_ l: Language) -> String {
        guard reconciled else {
            return l.say(SyncMessages.reconcilingSoFar, SyncView.size(bytes))
        }
        let eta = secondsLeft.map { l.say(SyncMessages.aboutSLeft, $0) } ?? ""
        return l.say(SyncMessages.receivedSent, received, toReceive, sent, toSend, SyncView.size(bytes), eta)
    }

    /// A terminal line: a 20-cell bar (it fits a phone terminal), the percentage, then `text`.
    /// `[########------------]  40% received 30/80, sent 10/20, …`
    public func line(_ l: Language) -> String {
        guard let share = fraction, let percent else { return text(l) }
        let filled = Int((share * 20).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled) + "] "
            + String(format: "%3d%% ", percent) + text(l)
    }
}

/// What a running sync reports, in order: progress values (at most one every `SyncEvent.intervalMs`
/// milliseconds, so a screen can redraw without falling behind), then exactly one outcome.
public enum SyncEvent: Sendable {
    case progress(SyncProgress)
    case finished(SyncView)
    case failed(AppError)

    /// The least time between two progress values.
    public static let intervalMs: UInt64 = 250
}

import BaoxueApp
import Foundation
import UnixSignals

/// Printing for the CLI: text or JSON on stdout, one-line errors on stderr.
enum Output {
    static func json<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        print(String(decoding: data, as: UTF8.self))
    }

    /// One line to stdout, unbuffered (a server's log must show at once, even when piped).
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func fail(_ error: AppError, _ lang: Language) -> Never {
        FileHandle.standardError.write(Data((error.line(lang) + "\n").utf8))
        exit(error.exitCode)
    }
}

/// Runs a command body, turning `AppError` into one line and an exit code.
func runReporting(_ options: GlobalOptions, _ body: () throws(AppError) -> Void) {
    do { try body() } catch { Output.fail(error, options.language) }
}

/// Runs an async command body, turning `AppError` into one line and an exit code.
func runReporting(_ options: GlobalOptions, _ body: () async throws(AppError) -> Void) async {
    do { try await body() } catch { Output.fail(error, options.language) }
}

/// Returns when the process is asked to stop (SIGINT from Ctrl-C, or SIGTERM from a service manager).
/// Only executables wait for signals; the libraries they call return handles with a `stop`.
func untilStopped() async {
    for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { return }
}

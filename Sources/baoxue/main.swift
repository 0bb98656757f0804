import ArgumentParser
import BaoxueApp
import Foundation

/// `baoxue`: the field tool. Chinese by default, `--lang en` for English.
struct Baoxue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baoxue",
        abstract: "保学：离线可信的控辍保学记录 / Baoxue: trustworthy offline dropout-control records",
        subcommands: [
            Init.self, Whoami.self, Log.self, Rebuild.self, ChildCommand.self, LedgerCommand.self, RecordCommand.self, CaseCommand.self,
            CloseOut.self, Conflicts.self, Today.self, ReportCommand.self, Status.self, SurveyCommand.self, VoidEntry.self, Peer.self,
            Sync.self, Serve.self, Authority.self, Enroll.self, Quarantine.self, Alerts.self, Admin.self, Verify.self, Audit.self,
            RelayCommand.self, Demo.self, Keys.self, PolicyCommand.self, Lock.self, Unlock.self, Wipe.self, AttachmentCommand.self, UI.self,
        ]
    )
}

/// Parses and runs, printing argument errors as one localized line (exit 2).
func runMain() async {
    let args = Array(CommandLine.arguments.dropFirst())
    var flag: String?
    if let i = args.firstIndex(of: "--lang"), i + 1 < args.count { flag = args[i + 1] }
    let lang = Language.resolve(flag: flag, environment: ProcessInfo.processInfo.environment)
    do {
        var command = try Baoxue.parseAsRoot(args)
        if var serving = command as? any AsyncParsableCommand { try await serving.run() } else { try command.run() }
    } catch {
        if Baoxue.exitCode(for: error) == .success { Baoxue.exit(withError: error) }
        if args.isEmpty { Baoxue.exit(withError: CleanExit.helpRequest()) }
        let message = Baoxue.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        FileHandle.standardError.write(
            Data(
                (lang.say(CommandMessages.usageErrorRunBaoxueHelp, message) + "\n").utf8))
        exit(2)
    }
}

await runMain()

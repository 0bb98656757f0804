import ArgumentParser
import BaoxueApp
import Foundation

/// The admin's side of the relay's enrollment desk on the command line (the console page does the same).
struct EnrollPending: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pending",
        abstract: "列出中继上等待审批的申请 / list the requests waiting at the relay within this admin's scopes"
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "中继（主机:端口）/ the relay, HOST:PORT") var relay: String

    func run() async {
        await runReporting(options) { () async throws(AppError) in
            let waiting = try await RelayEnrollment.waiting(directory: options.directory, relay: relay)
            printRequests(waiting, options.language)
        }
    }
}

struct EnrollApprove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "批准一份申请（须本机持有授权）/ approve a request (this device must hold a delegation)",
        discussion: "批准前请与对方屏幕上的指纹逐字核对。\nCompare the fingerprint with the one on the device's screen first."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "申请设备的公钥（64 位十六进制）/ the requesting device's public key") var device: String
    @Option(help: "中继（主机:端口）/ the relay, HOST:PORT") var relay: String
    @Option(help: "有效天数 / days of validity") var days = 365

    func run() async {
        await runReporting(options) { () async throws(AppError) in
            let left = try await RelayEnrollment.approve(directory: options.directory, relay: relay, subject: device, days: days)
            print(options.language.say(EnrollmentMessages.approvedNotice, device))
            printRequests(left, options.language)
        }
    }
}

struct EnrollReject: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "拒绝一份申请 / reject a request"
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "申请设备的公钥（64 位十六进制）/ the requesting device's public key") var device: String
    @Option(help: "中继（主机:端口）/ the relay, HOST:PORT") var relay: String
    @Option(help: "原因（对方会看到）/ the reason, shown to the device") var reason: String

    func run() async {
        await runReporting(options) { () async throws(AppError) in
            let left = try await RelayEnrollment.reject(directory: options.directory, relay: relay, subject: device, reason: reason)
            print(options.language.say(EnrollmentMessages.rejectedNotice, device))
            printRequests(left, options.language)
        }
    }
}

private func printRequests(_ waiting: [RelayEnrollment.WaitingRequest], _ l: Language) {
    guard !waiting.isEmpty else {
        print(l.say(EnrollmentMessages.noRequests))
        return
    }
    for w in waiting { print(w.line(l)) }
}

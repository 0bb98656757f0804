import ArgumentParser
import BaoxueApp
import BaoxueTrust
import Foundation

/// Reads a passphrase: from `variable` for scripts, otherwise one line from stdin after `prompt`.
func readPassphrase(from variable: String, prompt: String) -> String {
    if let p = ProcessInfo.processInfo.environment[variable] { return p }
    FileHandle.standardError.write(Data(prompt.utf8))
    return readLine(strippingNewline: true) ?? ""
}

/// The authority passphrase: `$BAOXUE_PASSPHRASE` or stdin.
func passphrase(_ l: Language) -> String { readPassphrase(from: "BAOXUE_PASSPHRASE", prompt: l.say(TrustMessages.authorityPassphrase)) }

struct Authority: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "区县授权机构（离线电脑）/ the district authority (offline machine)",
        discussion: """
            流程：1. 教育局在离线电脑上运行 baoxue authority init --dir 授权目录；2. 每台设备运行 baoxue enroll request，把申请文件交给教育局；\
            3. 教育局电话核对设备指纹后运行 baoxue authority sign 申请文件 --dir 授权目录；4. 设备运行 baoxue enroll accept 证书文件 --authority 授权公钥。
            Flow: 1. the bureau runs authority init on its offline machine; 2. each device runs enroll request and hands over the file; \
            3. after checking the device fingerprint by phone, the bureau runs authority sign; \
            4. the device runs enroll accept with the authority's public key.
            """,
        subcommands: [AuthorityInit.self, AuthoritySign.self, AuthorityRevoke.self]
    )
}

struct AuthorityInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "生成授权密钥（口令保护）/ create the authority key, sealed under a passphrase",
        discussion:
            "口令来自 $BAOXUE_PASSPHRASE 或标准输入。请把打印出的公钥发给各乡镇中继和设备。\nThe passphrase comes from $BAOXUE_PASSPHRASE or stdin. Hand the printed "
            + "public key to every relay and device."
    )
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let id = try EnrollmentCommands.authorityInit(directory: options.directory, passphrase: passphrase(l))
            if options.json {
                Output.json(id)
                return
            }
            print(
                l.say(TrustMessages.authorityKeyCreated, options.directory, EnrollmentCommands.authorityKeyFile))
            print(l.say(TrustMessages.authorityPublicKey, id.publicKey))
            print(l.say(TrustMessages.authorityFingerprint, id.fingerprint))
        }
    }
}

struct AuthoritySign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "为设备签发证书 / sign a device's enrollment request",
        discussion:
            "签发前请电话核对申请中的设备指纹。默认按申请的角色和范围签发。\nCheck the device fingerprint by phone first. Role and scopes default to those requested."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "申请文件 / the enrollment request file") var request: String
    @Option(help: "有效天数 / days of validity") var days = 365
    @Option(help: "改为此角色 / grant this role instead") var role: String?
    @Option(name: .long, help: "改为这些范围，可重复 / grant these scopes instead; repeatable") var scope: [String] = []
    @Option(help: "证书输出文件 / where to write the certificate") var out: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let view = try EnrollmentCommands.sign(
                directory: options.directory, passphrase: passphrase(l), requestPath: request,
                days: days, role: role, scopes: scope, output: out)
            options.json ? Output.json(view) : print(view.text(l, l.say(TrustMessages.signed)))
        }
    }
}

struct Enroll: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "本设备登记 / enroll this device",
        subcommands: [EnrollRequest.self, EnrollAccept.self, EnrollPending.self, EnrollApprove.self, EnrollReject.self]
    )
}

struct EnrollRequest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "生成登记申请，或经中继送交 / write an enrollment request, or leave it at the relay",
        discussion: """
            角色：teacher、liaison、school-admin、relay、district-admin。加 --relay 与 --authority 时，申请经中继送给管理员审批，\
            批准后运行 baoxue sync 中继地址 领取证书。
            Roles: teacher, liaison, school-admin, relay, district-admin. With --relay and --authority the request is left at \
            the relay for an admin to approve; after approval, baoxue sync RELAY collects the certificate.
            """
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "持有人姓名 / the holder's name") var name: String
    @Option(help: "角色 / role") var role: String
    @Option(name: .long, help: "申请的范围，可重复 / scope asked for; repeatable") var scope: [String] = []
    @Option(help: "输出文件 / output file") var out: String?
    @Option(help: "经此中继送交（主机:端口）/ leave the request at this relay (HOST:PORT)") var relay: String?
    @Option(help: "授权公钥（64 位十六进制，与 --relay 同用）/ the authority's public key (with --relay)") var authority: String?

    func run() async {
        await runReporting(options) { () async throws(AppError) in
            let l = options.language
            if relay != nil || authority != nil {
                guard let relay else { throw .invalidArgument(option: "--relay", value: "") }
                guard let authority else { throw .invalidArgument(option: "--authority", value: "") }
                let status = try await RelayEnrollment.request(
                    directory: options.directory, name: name, role: role, scopes: scope, relay: relay, authority: authority)
                print(l.say(EnrollmentMessages.requestLeftAtRelay, relay))
                print(status.text(l))
                if case .waiting(let fingerprint) = status, let qr = try? QRCode(fingerprint) {
                    print(l.say(TrustMessages.fingerprintAsQRCode))
                    qr.terminal.forEach { print($0) }
                }
                return
            }
            let view = try EnrollmentCommands.request(directory: options.directory, name: name, role: role, scopes: scope, output: out)
            if options.json {
                Output.json(view)
                return
            }
            print(view.text(l, l.say(TrustMessages.requestWritten)))
            print(
                l.say(TrustMessages.handFileToEducationBureau, view.subjectFingerprint))
            // The fingerprint as a QR code too, for the admin to scan and compare.
            if let qr = try? QRCode(view.subjectFingerprint) {
                print(l.say(TrustMessages.fingerprintAsQRCode))
                qr.terminal.forEach { print($0) }
            }
        }
    }
}

struct EnrollAccept: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "核验并保存本设备的证书 / check and keep this device's certificate"
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "证书文件 / the certificate file") var certificate: String
    @Option(help: "授权公钥（64 位十六进制）/ the authority's public key") var authority: String

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let view = try EnrollmentCommands.accept(directory: options.directory, certificatePath: certificate, authority: authority)
            options.json ? Output.json(view) : print(view.text(l, l.say(TrustMessages.certificateValidAndKept)))
        }
    }
}

struct AuthorityRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "吊销丢失或被盗的设备 / revoke a lost or stolen device",
        discussion:
            "吊销时间之前的变更仍然有效，之后的一律隔离。把生成的文件交给任一设备或中继运行 baoxue admin publish。\nChanges before the time stay valid; later ones are "
            + "quarantined. Hand the file to any device or relay to run baoxue admin publish."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "设备公钥（64 位十六进制）/ the device's public key") var device: String
    @Option(help: "吊销时间，毫秒（默认现在）/ revoke from this time, ms since 1970 (default now)") var at: UInt64?
    @Option(help: "原因 / reason") var reason: String
    @Option(help: "输出文件 / output file") var out: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let path = try EnrollmentCommands.revoke(
                directory: options.directory, passphrase: passphrase(l), device: device, at: at, reason: reason, output: out)
            print(l.say(TrustMessages.revocationWritten, path))
        }
    }
}

struct Admin: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "发布证书或吊销，使其随同步传到各设备 / publish certificates and revocations so they sync everywhere",
        subcommands: [AdminPublish.self, AdminAccept.self, AdminUphold.self]
    )
}

struct AdminPublish: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "发布证书或吊销文件 / publish a certificate or revocation file")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "证书或吊销文件 / the file") var file: String

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let applied = try EnrollmentCommands.publish(directory: options.directory, file: file)
            print(
                applied
                    ? l.say(TrustMessages.publishedAndInEffectIt)
                    : l.say(TrustMessages.recordedButNotInEffect)
            )
            // A revocation: a school or district admin's device rotates the keys the revoked device held.
            for scope in try PrivacyCommands.rotateAfterRevocations(directory: options.directory) {
                print(
                    l.say(TrustMessages.rotatedKeyOfRevokedDevice, scope))
            }
        }
    }
}

/// A district admin's rulings (trust.md §8): signed `_admin` changes that sync like any other.
protocol RulingCommand: ParsableCommand {
    var options: GlobalOptions { get }
    var change: String { get }
    static var kind: Ruling.Kind { get }
}

extension RulingCommand {
    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let applied = try EnrollmentCommands.rule(directory: options.directory, kind: Self.kind, change: change)
            print(
                applied
                    ? l.say(TrustMessages.rulingSignedAndInEffect)
                    : l.say(TrustMessages.rulingRecordedButNotIn))
        }
    }
}

struct AdminAccept: RulingCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "（区县管理员）接受一条因时钟超前被暂扣的变更 / (district admin) accept a change held for a clock ahead",
        discussion: "变更编号见 baoxue quarantine（原因 future_clock）。\nThe change id is listed by baoxue quarantine (reason future_clock)."
    )
    static let kind = Ruling.Kind.acceptClock
    @OptionGroup var options: GlobalOptions
    @Argument(help: "变更编号（64 位十六进制）/ the change id") var change: String
}

struct AdminUphold: RulingCommand {
    static let configuration = CommandConfiguration(
        commandName: "uphold",
        abstract: "（区县管理员）裁决一号多签：保留这一条，另一条留作证据 / (district admin) rule an equivocation: this change stands",
        discussion: "两条变更的编号见 baoxue alerts。\nBoth change ids are listed by baoxue alerts."
    )
    static let kind = Ruling.Kind.uphold
    @OptionGroup var options: GlobalOptions
    @Argument(help: "保留的变更编号（64 位十六进制）/ the change that stands") var change: String
}

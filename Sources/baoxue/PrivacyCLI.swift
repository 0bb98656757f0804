import ArgumentParser
import BaoxueApp
import Foundation

/// The device's unlock passphrase: `$BAOXUE_UNLOCK` or stdin.
func unlockPassphrase(_ l: Language) -> String {
    readPassphrase(from: "BAOXUE_UNLOCK", prompt: l.say(PolicyMessages.devicePassphrase))
}

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "记录加密的密钥：查看、授予、更换 / the keys records are encrypted under: show, grant, rotate",
        discussion: """
            每个学校范围有一把密钥，由学校管理员封存给每位成员和区县；中继只转存密文。设备被吊销后请运行 keys grant --rotate；\
            教师调离或交回手机时请运行 keys leave。
            Each school scope has a key the school admin seals to every member and to the district; relays carry ciphertext only. \
            After a revocation, run keys grant --rotate; when a teacher leaves the school or hands a phone back, run keys leave.
            """,
        subcommands: [KeysStatus.self, KeysGrant.self, KeysLeave.self],
        defaultSubcommand: KeysStatus.self
    )
}

struct KeysStatus: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "各范围的加密状态 / encryption status per scope")
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let rows = try PrivacyCommands.status(directory: options.directory)
            if options.json {
                Output.json(rows)
                return
            }
            for row in rows { print(row.text(options.language)) }
            if rows.isEmpty { print(options.language.say(PolicyMessages.noSchoolScopeInThis)) }
        }
    }
}

struct KeysGrant: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "把范围密钥封存给当前成员（--rotate 换新）/ seal the scope key to its current members (--rotate: a new one)"
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "学校范围 / the school scope") var scope: String
    @Flag(help: "换一把新密钥（吊销设备后）/ a fresh key (after a revocation)") var rotate = false

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try PrivacyCommands.grant(directory: options.directory, scope: scope, rotate: rotate)
            options.json ? Output.json(view) : print(view.text(options.language))
        }
    }
}

struct KeysLeave: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leave",
        abstract: "成员离开本校：记录并立即换新密钥 / a member left the school: record it and rotate the key now",
        discussion: """
            MEMBER 是该设备的指纹（baoxue whoami 显示的，如 RE79-08BG-X99K-1FD1）或公钥。之后写下的记录该设备都读不到，也不会再收到本校密钥，\
            除非教育局之后给它签发新的证书。
            MEMBER is the device's fingerprint (as baoxue whoami shows it, e.g. RE79-08BG-X99K-1FD1) or its public key. It reads \
            nothing written from now on and is sealed no key of the school again, unless the bureau certifies it anew afterwards.
            """
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "离开的成员设备 / the member device that left") var member: String
    @Option(help: "学校范围 / the school scope") var scope: String

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try PrivacyCommands.leave(directory: options.directory, member: member, scope: scope)
            options.json ? Output.json(view) : print(view.text(options.language))
        }
    }
}

struct Lock: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "锁定本机：密钥用口令封存，查询表清除 / lock this device: keys sealed under a passphrase, views cleared",
        discussion:
            "口令来自 $BAOXUE_UNLOCK 或标准输入，至少 8 个字符。忘记口令则数据无法恢复，只能重新同步。\nThe passphrase comes from $BAOXUE_UNLOCK or stdin, 8 characters at "
            + "least. Forgotten, the data is unrecoverable here; sync it again."
    )
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try PrivacyCommands.lock(directory: options.directory, passphrase: unlockPassphrase(options.language))
            options.json ? Output.json(view) : print(view.text(options.language))
        }
    }
}

struct Unlock: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "用口令解锁本机并重建查询表 / unlock with the passphrase and rebuild the views")
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let l = options.language
            let view = try PrivacyCommands.unlock(directory: options.directory, passphrase: unlockPassphrase(l)) { done, total in
                FileHandle.standardError.write(Data(l.say(PolicyMessages.rebuilding, done, total).utf8))
            }
            options.json ? Output.json(view) : print(l.say(PolicyMessages.unlocked) + "\n" + view.text(l, created: false))
        }
    }
}

struct Wipe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "销毁本机密钥和全部数据 / destroy this device's keys and all its data",
        discussion:
            "不可恢复。请再输入一次副本目录确认：baoxue wipe --dir D --confirm D\nIrreversible. Confirm by typing the folder again: baoxue wipe --dir D "
            + "--confirm D"
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "再输入一次副本目录 / the replica folder again") var confirm: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            try PrivacyCommands.wipe(directory: options.directory, confirm: confirm)
            print(options.language.say(PolicyMessages.destroyedKeysAndDataOf, options.directory))
        }
    }
}

import BaoxueCore
import BaoxueStore
import BaoxueSync
import BaoxueTrust

/// What a command can fail with, each case naming the cause; rendered as
/// one line that says what to do.
public enum AppError: Error, Equatable, Sendable {
    case store(StoreError)
    case core(CoreError)
    /// A command-line value that is not acceptable (option name, given value).
    case invalidArgument(option: String, value: String)
    /// A value outside a fixed list; the message lists every choice in the user's language.
    case invalidChoice(option: String, value: String, chinese: [String], english: [String])
    /// A number outside what the option allows.
    case valueOutOfRange(option: String, value: Int, allowed: ClosedRange<Int>)
    /// A merge of a provisional child that the rules refuse; the text says why, in the user's language.
    case mergeRefused(String)
    /// A line of the peers file that does not parse.
    case peerListMalformed(path: String, line: Int)
    /// A sync session ended early.
    case sync(SyncError)
    /// A certificate, request or chain is not acceptable.
    case trust(TrustError)
    /// Nothing to sync: no scope given and none held locally or granted in the peers file.
    case noScopes
    /// `relay serve` on a replica whose certificate is not a relay's (its receipts would count for nothing).
    case notARelay
    /// A file that would be overwritten (a backup target).
    case fileExists(path: String)
    /// An input file that does not exist or cannot be read.
    case fileMissing(path: String)
    /// The folder an output file goes into does not exist (or is not a folder).
    case folderMissing(path: String)
    /// An import stopped after `written` of `total` children were committed (they stay; running it again resumes).
    case importInterrupted(written: Int, total: Int, cause: StoreError)
    /// A certificate issued to another device (its fingerprint, and this device's).
    case certificateForAnotherDevice(theirs: String, ours: String)
    /// A roster that is neither UTF-8 nor GBK/GB18030.
    case rosterEncoding(path: String)
    /// A roster that is not CSV (an unclosed quote, an empty file).
    case rosterMalformed(path: String, line: Int, reason: String)
    /// A roster without the columns its registry must have (their names, in the user's language).
    case rosterColumns(path: String, missing: [String])
    /// No child with that record id on this replica.
    case childUnknown(String)
    /// Several children answer to what was typed: the ones to choose from (and how many more).
    case childAmbiguous(String, choices: [ChildChoice], more: Int)
    /// No op with that id on this replica.
    case opUnknown(String)
    /// No survey sweep with that id on this replica.
    case surveyUnknown(String)
    /// This device's role may not record that (nil role: not enrolled); it would be quarantined everywhere.
    case roleForbids(role: String?, what: String)
    /// The device holds several scopes (or none): the command must be told which.
    case scopeRequired(held: [String])
    /// A scope the device's certificate does not cover: what it wrote there would be quarantined everywhere.
    case scopeNotCovered(scope: String, held: [String])

    /// The process exit code: 2 for bad usage, 3 for key-file problems, 1 otherwise.
    public var exitCode: Int32 {
        switch self {
        case .invalidArgument, .invalidChoice, .valueOutOfRange: 2
        case .store(.keyFileTooOpen), .store(.keyFileNotOwned), .store(.keyFileMalformed): 3
        default: 1
        }
    }

    /// One line for the user, with the cause and what to do.
    public func line(_ lang: Language) -> String {
        let prefix = lang.pick("错误：", "error: ")
        switch self {
        case .store(let e): return prefix + ErrorText.store(e, lang)
        case .core(let e): return prefix + ErrorText.core(e, lang)
        case .invalidArgument(let option, let value):
            return prefix
                + lang.pick(
                    "参数 \(option) 的值“\(value)”无效。运行 baoxue --help 查看用法。",
                    "invalid value '\(value)' for \(option). Run baoxue --help for usage.")
        case .invalidChoice(let option, let value, let chinese, let english):
            return prefix
                + lang.pick(
                    "参数 \(option) 的值“\(value)”无效，可选：\(chinese.joined(separator: "、"))。",
                    "invalid value '\(value)' for \(option); choose one of: \(english.joined(separator: ", ")).")
        case .valueOutOfRange(let option, let value, let allowed):
            return prefix
                + lang.pick(
                    "参数 \(option) 的值 \(value) 超出范围，应为 \(allowed.lowerBound)–\(allowed.upperBound) 之间的整数。",
                    "\(value) is out of range for \(option): give a whole number from \(allowed.lowerBound) to \(allowed.upperBound).")
        case .mergeRefused(let why):
            return prefix + why + lang.pick("。用 baoxue child list 查看儿童及其编号。", ". See baoxue child list for children and their ids.")
        case .peerListMalformed(let path, let line):
            return prefix
                + lang.pick(
                    "同步对象清单 \(path) 第 \(line) 行格式不对：应为“64 位十六进制公钥 空格 范围（* 或用逗号分隔）”。请改正或用 baoxue peer allow 重新添加。",
                    "line \(line) of the peer list \(path) is malformed: expected '<64 hex public key> <* or comma-separated scopes>'. "
                        + "Fix it or re-add with baoxue peer allow."
                )
        case .sync(let e):
            return prefix + SyncText.error(e, lang)
        case .trust(let e):
            return prefix + TrustText.error(e, lang)
        case .notARelay:
            return prefix
                + lang.pick(
                    "本副本的证书不是中继证书，不能作为中继运行。请用 baoxue enroll request 申请，并由教育局用 baoxue authority sign --role relay 签发。",
                    "this replica's certificate is not a relay's, so it cannot serve as a relay. Request one with baoxue enroll request "
                        + "and have the bureau sign it with baoxue authority sign --role relay."
                )
        case .fileExists(let path):
            return prefix
                + lang.pick(
                    "文件已存在：\(path)。不会覆盖，请换一个文件名。",
                    "file already exists: \(path). It is never overwritten; choose another name.")
        case .certificateForAnotherDevice(let theirs, let ours):
            return prefix
                + lang.pick(
                    "这份证书是发给另一台设备的（指纹 \(theirs)），不是本机（指纹 \(ours)）。请核对文件，或请教育办为本机签发证书。",
                    "this certificate was issued to another device (fingerprint \(theirs)), not this one (\(ours)). "
                        + "Check the file, or ask the township office to issue one for this device.")
        case .importInterrupted(let written, let total, let cause):
            let why: String
            switch cause {
            case .database(let code, _) where code & 0xFF == 13: why = lang.pick("磁盘已满", "the disk is full")
            case .database(let code, _) where code & 0xFF == 10:
                why = lang.pick(
                    "写入磁盘失败，磁盘可能已满",
                    "writing to the disk failed; it may be full")
            case .overQuota: why = lang.pick("数据库已达容量上限", "the database reached its quota")
            case .io: why = lang.pick("无法写入文件", "a file could not be written")
            default: why = ErrorText.store(cause, lang)
            }
            return prefix
                + lang.pick(
                    "导入中断（\(why)）：已写入 \(written)/\(total) 名儿童，已写入的保留。处理好问题后再次运行同一命令，会从中断处继续。",
                    "the import stopped (\(why)) after \(written) of \(total) children were written; those are kept. "
                        + "Fix the cause and run the same command again to continue from there.")
        case .folderMissing(let path):
            return prefix
                + lang.pick(
                    "文件夹不存在：\(path)。请先创建它（或换一个已有的文件夹），再重试。",
                    "the folder \(path) does not exist. Create it (or choose an existing one) and try again.")
        case .fileMissing(let path):
            return prefix + lang.pick("找不到文件或无法读取：\(path)。请检查路径。", "cannot find or read the file \(path). Check the path.")
        case .rosterEncoding(let path):
            return prefix
                + lang.pick(
                    "\(path) 既不是 UTF-8 也不是 GBK 编码。请在 Excel 中“另存为 CSV UTF-8”后重试。",
                    "\(path) is neither UTF-8 nor GBK. Save it from Excel as \"CSV UTF-8\" and try again.")
        case .rosterMalformed(let path, let line, let reason):
            return prefix
                + lang.pick(
                    "\(path) 第 \(line) 行不是有效的 CSV（\(reason)）。请从学籍/户籍系统重新导出。",
                    "line \(line) of \(path) is not valid CSV (\(reason)). Export it again from the registry.")
        case .rosterColumns(let path, let missing):
            return prefix
                + lang.pick(
                    "\(path) 缺少必需的列：\(missing.joined(separator: "、"))。请确认 --source 选对了（xueji 学籍 / huji 户籍），并使用系统导出的原始表头。",
                    "\(path) lacks required columns: \(missing.joined(separator: ", ")). Check --source (xueji / huji) and keep the "
                        + "registry's original header row."
                )
        case .childUnknown(let id):
            return prefix
                + lang.pick(
                    "本机找不到“\(id)”：可用姓名、编号前几位、身份证号（或后四位）、学籍号或监护人电话。用 baoxue child list --search 查找。",
                    "no child matches '\(id)' here: give a name, the first digits of its id, an ID number "
                        + "(or its last 4), "
                        + "a student number or a guardian's phone. Search with baoxue child list --search.")
        case .childAmbiguous(let text, let choices, let more):
            let list = choices.map { c in
                "\n  \(c.id.prefix(8))  \(c.name)  \(c.school)"
                    + (c.grade.map {
                        lang.pick(
                            " \($0) 年级",
                            " grade \($0)")
                    } ?? "") + " \(c.className)"
            }.joined()
            let rest = more > 0 ? lang.pick("\n  ……另有 \(more) 人", "\n  … and \(more) more") : ""
            return prefix
                + lang.pick(
                    "“\(text)”对应多个儿童，请改用编号前几位（如下）再试：",
                    "several children match '\(text)'; use the first digits of the id:")
                + list + rest
        case .opUnknown(let id):
            return prefix
                + lang.pick(
                    "本机没有编号为 \(id) 的记录项。编号见 baoxue audit 每行末尾。",
                    "no entry with id \(id) here. The ids end each line of baoxue audit.")
        case .surveyUnknown(let id):
            return prefix
                + lang.pick(
                    "本机没有编号为 \(id) 的摸排。请先运行 baoxue survey start，或同步后再试。",
                    "no survey with id \(id) here. Start one with baoxue survey start, or sync first.")
        case .roleForbids(let role, let what):
            return prefix
                + (role.map { r in
                    lang.pick(
                        "\(r)的证书不能记录“\(what)”，其他设备会隔离它。请由有权限的人（如学校管理员）记录。",
                        "a \(r)'s certificate may not record '\(what)'; other devices would quarantine it. Ask someone whose role allows "
                            + "it (e.g. the school admin)."
                    )
                }
                    ?? lang.pick(
                        "本机尚未登记证书，不能记录。请先运行 baoxue enroll request。",
                        "this device holds no certificate yet. Run baoxue enroll request first."))
        case .scopeRequired(let held):
            return prefix
                + (held.isEmpty
                    ? lang.pick(
                        "请用 --scope 指定范围（学校），例如 --scope 丰南区/东镇/学校0。", "name the scope (school) with --scope, e.g. --scope 丰南区/东镇/学校0.")
                    : lang.pick(
                        "本机证书有多个范围，请用 --scope 指定其一：\(held.joined(separator: "、"))",
                        "this device's certificate has several scopes; name one with --scope: \(held.joined(separator: ", "))"))
        case .scopeNotCovered(let scope, let held):
            return prefix
                + lang.pick(
                    "本机证书不包含范围 \(scope)，写入会被其他设备隔离。可用范围：\(held.joined(separator: "、"))",
                    "this device's certificate does not cover \(scope); what it wrote there would be quarantined. Scopes it covers: "
                        + "\(held.joined(separator: ", "))"
                )
        case .noScopes:
            return prefix
                + lang.pick(
                    "没有可同步的范围：本机没有数据，清单里也没有指定范围。请用 --scope 指定，例如 --scope school-001。",
                    "nothing to sync: no local data and no scope granted in the peer list. Name one with --scope, e.g. --scope school-001.")
        }
    }
}

/// Runs a store or core call and maps its typed error to `AppError`.
func attempt<T>(_ body: () throws(StoreError) -> T) throws(AppError) -> T {
    do { return try body() } catch { throw .store(error) }
}

/// One child offered when what was typed names several: enough to tell them apart.
public struct ChildChoice: Sendable, Equatable {
    public let id: String
    public let name: String
    public let school: String
    public let className: String
    public let grade: Int?
}

import BaoxueCore
import BaoxueStore

/// What a command can fail with, each case naming the cause; rendered as
/// one line that says what to do.
public enum AppError: Error, Equatable, Sendable {
    case store(StoreError)
    case core(CoreError)
    /// A command-line value that is not acceptable (option name, given value).
    case invalidArgument(option: String, value: String)

    /// The process exit code: 2 for bad usage, 3 for key-file problems, 1 otherwise.
    public var exitCode: Int32 {
        switch self {
        case .invalidArgument: 2
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
            return prefix + lang.pick("参数 \(option) 的值“\(value)”无效。运行 baoxue --help 查看用法。",
                                      "invalid value '\(value)' for \(option). Run baoxue --help for usage.")
        }
    }
}

/// Runs a store or core call and maps its typed error to `AppError`.
func attempt<T>(_ body: () throws(StoreError) -> T) throws(AppError) -> T {
    do { return try body() } catch { throw .store(error) }
}

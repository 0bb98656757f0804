import ArgumentParser
import BaoxueApp
import Foundation

/// Options every command shares: language, replica folder, JSON output.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "界面语言 zh 或 en（默认中文；LANG=en* 时为英文）/ language: zh or en")
    var lang: String?

    @Option(name: .long, help: "副本目录（默认 $BAOXUE_DIR 或 ./baoxue-data）/ replica folder")
    var dir: String?

    @Flag(name: .long, help: "输出 JSON，供脚本使用 / print JSON for scripts")
    var json = false

    var language: Language { Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment) }

    var directory: String {
        dir ?? ProcessInfo.processInfo.environment["BAOXUE_DIR"] ?? "./baoxue-data"
    }

    func validate() throws {
        if let lang, Language(rawValue: lang.lowercased()) == nil {
            throw ValidationError(
                Language.resolve(flag: nil, environment: ProcessInfo.processInfo.environment)
                    .say(CommandMessages.langMustBeZhOr))
        }
    }
}

import ArgumentParser
import BaoxueApp
import Foundation

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "运行内置示例：两台设备离线记录、相遇同步、拒收伪造 / run the built-in example"
    )
    @OptionGroup var options: GlobalOptions

    func run() {
        runReporting(options) { () throws(AppError) in
            let folder = options.dir ?? (NSTemporaryDirectory() + "baoxue-demo-\(UUID().uuidString.prefix(8))")
            let outcome = try BaoxueApp.Demo.run(in: folder, lang: options.language)
            for line in outcome.lines { print(line) }
            print(options.language.pick("示例数据在：\(folder)", "demo data is in: \(folder)"))
            if !outcome.forgeryRejected || outcome.teacherHeads != outcome.liaisonHeads { Foundation.exit(1) }
        }
    }
}

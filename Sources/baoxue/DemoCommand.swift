import ArgumentParser
import BaoxueApp
import Foundation

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "运行内置示例 / run the built-in example",
        discussion: """
            --township：整个系统——教育局、乡镇中继、两位教师和一位村联络员、几百名儿童，离线的一天，点对点和经中继同步，合并后的台账、冲突和一个儿童的记录史；不到一分钟，结束后不留任何进程。
            不加参数：两台设备离线记录、相遇同步、拒收伪造。
            --township: the whole system — a bureau, a township relay, two teachers and a liaison, a few hundred children, an offline \
            day, peer-to-peer and relay syncs, then the merged ledgers, the conflict and one child's history; under a minute, nothing \
            left running. Without it: two devices record offline, meet, sync, and refuse a forgery.
            """
    )
    @OptionGroup var options: GlobalOptions
    @Flag(help: "整个乡镇的示例 / the whole-township example") var township = false
    @Option(help: "示例儿童人数（--township）/ children in the township example") var children = 300

    func validate() throws {
        guard (2...20_000).contains(children) else {
            throw ValidationError(options.language.say(DemoMessages.childrenMustBeBetweenAnd))
        }
    }

    func run() async {
        await runReporting(options) { () async throws(AppError) in
            let l = options.language
            let folder = options.dir ?? (NSTemporaryDirectory() + "baoxue-demo-\(UUID().uuidString.prefix(8))")
            if township {
                let outcome = try await TownshipDemo.run(in: folder, children: children, lang: l) { line in Output.line(line) }
                print(l.say(DemoMessages.demoDataIsIn, folder))
                if !outcome.converged || !outcome.conflictSurfaced || !outcome.witnessed || !outcome.relayHoldsNoNames
                    || !outcome.transferRead || !outcome.relayInferenceFails
                {
                    Foundation.exit(1)
                }
                return
            }
            let outcome = try BaoxueApp.Demo.run(in: folder, lang: l)
            for line in outcome.lines { print(line) }
            print(l.say(DemoMessages.demoDataIsIn, folder))
            if !outcome.forgeryRejected || outcome.teacherHeads != outcome.liaisonHeads { Foundation.exit(1) }
        }
    }
}

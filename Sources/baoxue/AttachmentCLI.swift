import ArgumentParser
import BaoxueApp
import Foundation

struct AttachmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachment",
        abstract: "记录的附件（照片、签字材料）/ the attachments of records (photos, signed statements)",
        subcommands: [AttachmentExport.self]
    )
}

struct AttachmentExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "把一个附件解密导出为文件 / write one attachment out as a file",
        discussion: """
            ID 是 baoxue child show 列出的附件编号（至少 8 位）。只有持有该儿童密钥的设备能导出；文件含未成年人信息，用后请删除。
            ID is the attachment id baoxue child show lists (8 digits at least). Only a device holding the child's key can; \
            the file holds a minor's information: delete it after use.
            """
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "附件编号 / the attachment id") var id: String
    @Option(help: "输出文件（默认：原文件名，写在当前目录）/ the file to write (default: its own name, here)") var out: String?

    func run() {
        runReporting(options) { () throws(AppError) in
            let view = try ReplicaCommands.exportAttachment(directory: options.directory, id: id, to: out)
            options.json ? Output.json(view) : print(view.text(options.language))
        }
    }
}

import Foundation

/// Developer tool, not for users: regenerates test vectors and runs the
/// crash-test appender that the store tests kill with SIGKILL.
let args = CommandLine.arguments.dropFirst()
switch args.first {
case "vectors":
    print(try VectorMaker.make(), terminator: "")
case "privacy-vectors":
    print(try PrivacyVectorMaker.make(), terminator: "")
case "record-vectors":
    print(try RecordVectorMaker.make(), terminator: "")
case "policy-vectors":
    print(try PolicyVectorMaker.make(), terminator: "")
case "figures-vectors":
    print(try FiguresVectorMaker.make(), terminator: "")
case "sync-vectors":
    print(try SyncVectorMaker.make(), terminator: "")
case "append-loop":
    let rest = Array(args.dropFirst())
    guard rest.count == 3, let batch = Int(rest[1]), let seed = UInt64(rest[2]) else {
        FileHandle.standardError.write(Data("usage: baoxue-dev append-loop DB BATCH SEED\n".utf8))
        exit(2)
    }
    try AppendLoop.run(database: rest[0], batchSize: batch, seed: seed)
default:
    let usage =
        "usage: baoxue-dev vectors | record-vectors | policy-vectors | figures-vectors | sync-vectors | privacy-vectors"
        + " | append-loop DB BATCH SEED\n"
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}

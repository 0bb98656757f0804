import BaoxueApp
import BaoxueCore
import BaoxueRecords
import BaoxueStore
import BaoxueSynthetic
import BaoxueTrust
import BaoxueWeb
import Dispatch
import Foundation
import Hummingbird
import HummingbirdTesting

/// The field app's figures (issue 23): every page's weight with its stylesheet and script, and the
/// server's time per page (routing, the replica's queries, the HTML) at p50 and p95 over repeated
/// requests — on a 5,000-child school replica and a 120,000-child district replica — and, for the
/// 同步 page, the longest wait between two progress values during a real sync of the school.
enum UIBench {
    /// A sandbox replica holding a synthetic district of `children` with `events` events, each school's signed by a device of its own.
    static func replica(children: Int, events: Int, at dir: String) throws -> Replica {
        let replica = try Replica.create(at: dir)
        let district = SyntheticDistrict(seed: 2026, children: children)
        let today = try SimpleDate(unixMilliseconds: Replica.nowMilliseconds())
        let scope = try ScopeID("示例区")
        // One device per school writes its school's records, as on a district admin's device; the replica's own key writes none.
        let authors = district.schools.count
        let keys = Workload.deviceKeys(authors, fill: 0x5d)
        var seqs = [UInt64](repeating: 0, count: authors)
        var deps = [ChangeID?](repeating: nil, count: authors)
        let base = Replica.nowMilliseconds() - 86_400_000
        let total = children + events
        var done = 0
        while done < total {
            let end = min(total, done + 10_000)
            var chunk: [[UInt8]] = []
            for item in done..<end {
                // Twenty children to a change, as a roster import writes them; one event to a change, as a teacher does.
                if item < children, item % 20 != 0 { continue }
                let ops =
                    item < children
                    ? (item..<min(children, item + 20)).flatMap { district.childOps($0, today: today) }
                    : [district.eventOp(item - children, today: today)]
                let a = (item / 20) % authors
                seqs[a] += 1
                let change = try Change.sign(
                    by: keys[a], seq: seqs[a], timestamp: try HLCTimestamp(milliseconds: base + UInt64(item), counter: UInt16(a)),
                    scope: scope, deps: deps[a].map { [$0] } ?? [], payload: try RecordPayload(ops: ops).encoded())
                deps[a] = change.id
                chunk.append(change.encoded)
            }
            let batches = stride(from: 0, to: chunk.count, by: 500).map { Array(chunk[$0..<min($0 + 500, chunk.count)]) }
            let log = replica.log
            _ = try Blocking.run { try await log.appendPipelined(batches) }
            done = end
            FileHandle.standardError.write(Data("  … \(done)/\(total)\n".utf8))
        }
        return replica
    }

    /// `data`: keep each replica under that folder (`ui-<children>`) and reuse it on the next run.
    static func run(sizes: [Int], rounds: Int, data: String?) async throws {
        print("baoxue-bench ui: server time per page (HummingbirdTesting, no sockets), \(rounds) requests each after 3 warm-ups")
        for children in sizes {
            let dir = data.map { "\($0)/ui-\(children)" } ?? NSTemporaryDirectory() + "baoxue-ui-bench-\(UUID().uuidString.prefix(8))"
            defer { if data == nil { try? FileManager.default.removeItem(atPath: dir) } }
            let started = DispatchTime.now().uptimeNanoseconds
            let replica =
                FileManager.default.fileExists(atPath: dir + "/replica.sqlite")
                ? try Replica.open(at: dir) : try replica(children: children, events: children * 4, at: dir)
            let built = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            print(String(format: "\n%d children, %d events (built in %.0f s)", children, children * 4, built))
            guard let child = try replica.log.findChildren("", limit: 1).first?.child.hex else { throw BenchError.page("no child", 0) }
            let name = try replica.log.child(try RecordID(hex: child))?.name ?? ""
            let month = String(try SimpleDate(unixMilliseconds: Replica.nowMilliseconds()).description.prefix(7))
            let school = try publishFigures(replica, children: children)
            try await pages(dir: dir, child: child, name: name, month: month, school: school, rounds: rounds)
            if children <= 10_000 { try await syncProgress(from: replica) }
        }
    }

    /// Six past months of figures for every school (once per replica), as the schools' admins publish
    /// them: what the dashboard draws. Returns the first school's scope.
    static func publishFigures(_ replica: Replica, children: Int) throws -> String {
        let district = SyntheticDistrict(seed: 2026, children: children)
        let scopes = try district.schools.map { try ScopeID("示例区/" + $0.name) }
        if try replica.log.publishedFigures().isEmpty {
            let today = try SimpleDate(unixMilliseconds: Replica.nowMilliseconds())
            for back in 1...6 {
                let m = (today.year * 12 + today.month - 1) - back
                for (i, scope) in scopes.enumerated() {
                    let counts = [1_200, 1_150, 9, 2, 3, 2, 1, 20, 6, 4, 8, 1, 2, 2, 3, 2, 4, 3, 2, 8, 60, 3].map {
                        $0 + (i * 7 + back * 3) % 5
                    }
                    let figures = try PublishedFigures(school: scope, year: m / 12, month: m % 12 + 1, counts: counts)
                    _ = try replica.write(scope: .admin, payload: AdminPayload.figures(figures).encoded)
                }
            }
        }
        return scopes[0].value
    }

    static func pages(dir: String, child: String, name: String, month: String, school: String, rounds: Int) async throws {
        let token = WebServer.newToken()
        let app = Application(router: WebServer.router(directory: dir, token: token, language: .zh))
        try await app.test(.router) { client in
            let cookie = try await client.execute(uri: "/?token=\(token)", method: .get) { r in
                String(r.headers[.setCookie]?.split(separator: ";").first ?? "")
            }
            let css = try await client.execute(uri: "/static/app.css", method: .get) { $0.body.readableBytes }
            let script = try await client.execute(uri: "/static/sync.js", method: .get, headers: [.cookie: cookie]) {
                $0.body.readableBytes
            }
            let csrf = try await client.execute(uri: "/children", method: .get, headers: [.cookie: cookie]) { r in
                let page = String(buffer: r.body)
                return page.components(separatedBy: "name=\"csrf\" value=\"").dropFirst().first.map { String($0.prefix(64)) } ?? ""
            }
            let search = "q=\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&csrf=\(csrf)"
            let pages: [(String, String, HTTPRequest.Method, String?)] = [
                ("今日", "/", .get, nil), ("儿童（列表）", "/children", .get, nil), ("儿童（查找姓名）", "/children", .post, search),
                ("儿童档案", "/child/\(child)", .get, nil), ("缺课表单", "/child/\(child)/absence", .get, nil),
                ("家访表单", "/child/\(child)/visit", .get, nil), ("送教表单", "/child/\(child)/home-teaching", .get, nil),
                ("冲突", "/conflicts", .get, nil), ("同步", "/sync", .get, nil), ("摸排", "/survey", .get, nil),
                ("台账与报表", "/ledgers?kind=monthly&period=\(month)", .get, nil), ("我的", "/me", .get, nil),
                ("数据看板", "/dashboard", .get, nil),
                (
                    "看板（一校）", "/dashboard/school?scope=\(school.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")", .get,
                    nil
                ),
            ]
            print("page                 KB (with CSS)   p50 ms   p95 ms")
            var worst = 0.0
            for (label, uri, method, body) in pages {
                var times: [Double] = []
                var bytes = 0
                for round in 0..<(rounds + 3) {
                    var headers: HTTPFields = [.cookie: cookie]
                    if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
                    let start = DispatchTime.now().uptimeNanoseconds
                    let (status, size) = try await client.execute(
                        uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
                    ) { ($0.status, $0.body.readableBytes) }
                    let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                    guard status == .ok else { throw BenchError.page(uri, status.code) }
                    if round >= 3 { times.append(ms) }
                    bytes = size
                }
                times.sort()
                let total = bytes + css + (label == "同步" ? script : 0)
                let p95 = times[min(times.count - 1, times.count * 95 / 100)]
                worst = max(worst, p95)
                print(
                    label.padding(toLength: 9, withPad: "　", startingAt: 0)
                        + String(format: " %8.1f %9.1f %8.1f", Double(total) / 1024, times[times.count / 2], p95))
            }
            print(String(format: "slowest page p95: %.1f ms", worst))
        }
    }

    /// A fresh device pulls the whole school from it over loopback TCP: the gaps between the progress values it sees.
    static func syncProgress(from source: Replica) async throws {
        let target = NSTemporaryDirectory() + "baoxue-ui-bench-peer-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: target) }
        let fresh = try Replica.create(at: target)
        _ = try SyncCommands.allow(directory: source.directory, key: fresh.key.publicKey.hex, scopes: [])
        _ = try SyncCommands.allow(directory: target, key: source.key.publicKey.hex, scopes: [])
        let (server, _) = try await SyncCommands.listen(directory: source.directory, listen: "127.0.0.1:0", language: .zh)
        var stamps: [UInt64] = [DispatchTime.now().uptimeNanoseconds]
        var received = 0
        for await event in SyncCommands.events(fresh, peer: "127.0.0.1:\(server.port)", scopes: ["示例区"]) {
            stamps.append(DispatchTime.now().uptimeNanoseconds)
            switch event {
            case .progress: break
            case .finished(let view): received = view.received
            case .failed(let error): print("sync failed: \(error.line(.en))")
            }
        }
        await server.stop()
        let gaps = zip(stamps.dropFirst(), stamps).map { Double($0 - $1) / 1e6 }
        print(
            String(
                format: "同步 page: %d changes pulled in %.1f s, %d progress values, longest wait between two: %.0f ms",
                received, Double(stamps.last! - stamps.first!) / 1e9, stamps.count - 2, gaps.max() ?? 0))
    }
}

enum BenchError: Error {
    case page(String, Int)
}

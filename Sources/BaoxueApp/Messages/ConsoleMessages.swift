/// The relay operator's page (`relay serve --console`) and, later, the bureau's console.
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum ConsoleMessages: String, Message {
    case operatorTitle, statusOk, statusDegraded, problemDiskFull, problemUpstreamUnreachable, problemStoreFailed, sessionsHeading,
        activeSessions, queuedSessions, sessionsServed, sessionsFailed, changesMoved, bytesMoved, refusalsHeading, noRefusals,
        refusedAtAccept, refusalCount, diskHeading, diskUsed, diskUsedOfQuota, upstreamHeading, upstreamNone, upstreamLastSuccess,
        upstreamNever, upstreamLastError, alertsHeading, noAlerts, alertQuarantined, alertEquivocations, alertGaps, alertUnwitnessed,
        alertPending, devicesHeading, devicesServed, lastErrorColumn, lastSeenColumn, sessionsColumn, behindColumn,
        behindChanges, upToDate, refreshesEvery, noChildData, consoleTokenMissing, consoleAddress, equivocatingDevice,
        reasonPeerNotAllowed, reasonOverLimit, reasonConnectionClosed, reasonTimeout, reasonHandshake, reasonInvalidChange,
        reasonStore, reasonOther, devicesTitle, devicesLink, certificateUntil, certificateExpired, certificateExpiresSoon, revokedOn,
        lastChangeHere, noChangeHere, thisDevice, scopesLine, revokeButton, revokeTitle, revokeExplain, reasonLabel,
        authorityPassphrase, confirmRevoke, revokedNotice, keysRotated, cannotRevokeHere, reasonRequired, onlyAdmins, unknownDevice,
        figuresHeading, noFiguresYet, figuresSchool, figuresChildren, figuresSuspected, figuresDropouts, figuresReturned,
        figuresHomeHours, figuresMonth, figuresTotal, figuresNote, dashboardTitle, dashboardExplain, dashboardLedgers, dashboardWork,
        dashboardEntered, dashboardClosed, dashboardVisits, dashboardDistrict, dashboardSchools, dashboardSchoolLine,
        dashboardNotPublished, dashboardNoSuchSchool, dashboardChildren, dashboardLink, dashboardHomeTeaching, dashboardHoursExpected,
        dashboardFollowUp, dashboardMonthsBack, dashboardReturnedThen, dashboardStillInSchool, relayNeverSeen, relayLastSeenUpToDate,
        relayLastSeenBehind, relayNotAsked, dashboardHouseholdsChecked, dashboardHouseholdsWithFindings

    public var text: (zh: String, en: String) {
        switch self {
        case .operatorTitle: ("中继运行状态", "Relay operations")
        case .relayNeverSeen: ("中继：从未在中继同步过", "relay: never synced at the relay")
        case .relayLastSeenUpToDate: ("中继：最近同步 {1}，当时已是最新", "relay: last synced {1}, up to date then")
        case .relayLastSeenBehind:
            (
                "中继：最近同步 {1}，之后中继又收到 {2} 条它该有的变更（最早的已等 {3} 分钟）",
                "relay: last synced {1}; since then the relay received {2} changes it should have (the oldest waiting {3} min)"
            )
        case .relayNotAsked:
            ("没能向中继询问各设备的同步情况：{1}", "could not ask the relay when the devices last synced: {1}")
        case .statusOk: ("运行正常。", "Running normally.")
        case .statusDegraded: ("需要处理：", "Needs attention:")
        case .problemDiskFull:
            (
                "磁盘或配额已满：新的变更被拒收，设备仍可下载。请清理磁盘，或用 --max-db-mib 提高配额后重启中继。",
                "the disk or the quota is full: new changes are refused, devices can still download. Free disk space, or raise "
                    + "--max-db-mib and restart the relay."
            )
        case .problemUpstreamUnreachable:
            (
                "长时间未能与上级中继同步：请检查网络和上级中继地址（--upstream）。",
                "no sync with the upstream relay for a long time: check the network and the upstream address (--upstream)."
            )
        case .problemStoreFailed:
            (
                "数据库读写出错：请查看中继的日志，必要时运行 baoxue repair。",
                "the database failed a read or a write: see the relay's log and run baoxue repair if needed."
            )
        case .sessionsHeading: ("同步会话", "Sync sessions")
        case .activeSessions: ("进行中", "in progress")
        case .queuedSessions: ("排队等候", "waiting their turn")
        case .sessionsServed: ("累计（自启动以来）", "in all since start")
        case .sessionsFailed: ("其中出错", "of which failed")
        case .changesMoved: ("变更：收到 {1}，发出 {2}", "changes: {1} received, {2} sent")
        case .bytesMoved: ("流量：收到 {1} KiB，发出 {2} KiB", "traffic: {1} KiB received, {2} KiB sent")
        case .refusalsHeading: ("拒绝与出错（按原因）", "Refusals and failures by reason")
        case .noRefusals: ("自启动以来没有拒绝或出错的会话。", "No session was refused or failed since start.")
        case .refusedAtAccept: ("连接数已满时拒绝的连接", "connections refused at the connection limit")
        case .refusalCount: ("{1} 次", "{1} times")
        case .diskHeading: ("磁盘", "Disk")
        case .diskUsed: ("数据库占用 {1} MiB（未设配额）", "the database takes {1} MiB (no quota)")
        case .diskUsedOfQuota: ("数据库占用 {1} MiB，配额 {2} MiB（{3}%）", "the database takes {1} MiB of its {2} MiB quota ({3}%)")
        case .upstreamHeading: ("上级中继", "Upstream relay")
        case .upstreamNone: ("未配置上级中继。", "No upstream relay is configured.")
        case .upstreamLastSuccess: ("上次同步成功：{1}", "last successful sync: {1}")
        case .upstreamNever: ("自启动以来尚未同步成功。", "no successful sync since start.")
        case .upstreamLastError: ("上次出错：{1}", "last failure: {1}")
        case .alertsHeading: ("警报", "Alerts")
        case .noAlerts: ("没有需要处理的警报。", "Nothing needs attention.")
        case .alertQuarantined:
            (
                "{1} 条变更被隔离：运行 baoxue alerts 查看原因，由区县管理员处理。",
                "{1} changes quarantined: run baoxue alerts to see why; the district admin decides."
            )
        case .alertEquivocations:
            (
                "{1} 台设备对同一序号签了两条不同的变更（设备可能被复制或被盗）：请区县管理员裁决并考虑吊销。",
                "{1} devices signed two different changes with one number (a copied or stolen device?): the district admin rules "
                    + "and considers revoking it."
            )
        case .alertGaps:
            (
                "{1} 处日志缺口：这些设备的部分变更尚未到达，待其下次同步后自动消失。",
                "{1} chain holes: some of these devices' changes have not arrived; they close at their next sync."
            )
        case .alertUnwitnessed:
            (
                "{1} 条已吊销设备的变更未经中继见证：请区县管理员逐条裁决是否接受。",
                "{1} changes of revoked devices were never witnessed by a relay: the district admin rules on each."
            )
        case .alertPending: ("{1} 条变更在等待其依赖到达。", "{1} changes are waiting for their dependencies.")
        case .devicesHeading: ("设备", "Devices")
        case .devicesServed: ("共 {1} 台设备在本中继同步过。", "{1} devices have synced with this relay.")
        case .lastErrorColumn: ("上次出错", "last failure")
        case .lastSeenColumn: ("最近同步", "last seen")
        case .sessionsColumn: ("会话（出错）", "sessions (failed)")
        case .behindColumn: ("落后", "behind")
        case .behindChanges: ("{1} 条，最早 {2} 分钟前", "{1} changes, oldest {2} min ago")
        case .upToDate: ("已是最新", "up to date")
        case .refreshesEvery: ("每 {1} 秒自动刷新（取消勾选即暂停）", "refresh every {1} s (untick to pause)")
        case .noChildData:
            ("本页只显示计数和设备，不含任何儿童信息（中继本身也无法读取）。", "This page shows counts and devices only, no child data (the relay cannot read any).")
        case .consoleTokenMissing:
            ("请用中继启动时显示的完整地址（含访问码）打开本页。", "Open this page with the full address the relay printed at start (it includes the access code).")
        case .consoleAddress: ("运行状态页：{1}", "operations page: {1}")
        case .reasonPeerNotAllowed:
            ("设备未获准（未登记、证书不覆盖所请求的范围，或已吊销）", "device not allowed (not enrolled, scope not covered, or revoked)")
        case .reasonOverLimit: ("超出限额（中继繁忙或设备流量超限）", "over a limit (relay busy or the device's traffic cap)")
        case .reasonConnectionClosed: ("连接中途断开", "connection closed midway")
        case .reasonTimeout: ("连接超时", "timed out")
        case .reasonHandshake: ("握手失败（非保学设备或密钥不符）", "handshake failed (not a Baoxue device, or a key mismatch)")
        case .reasonInvalidChange: ("收到无效或未经请求的变更", "invalid or unsolicited changes")
        case .reasonStore: ("中继数据库出错或已满", "the relay's database failed or is full")
        case .reasonOther: ("其他协议错误", "another protocol error")
        case .devicesTitle: ("本区设备", "Devices")
        case .devicesLink: ("本区设备：证书、吊销与警报", "devices: certificates, revocations and alerts")
        case .certificateUntil: ("证书有效期至 {1}", "certificate valid until {1}")
        case .certificateExpired: ("证书已于 {1} 到期：请为其续发证书", "certificate expired on {1}: issue it a new one")
        case .certificateExpiresSoon: ("证书将于 {1} 到期：请尽快续发", "certificate expires on {1}: renew it soon")
        case .revokedOn: ("已于 {1} 吊销：{2}", "revoked on {1}: {2}")
        case .lastChangeHere: ("本机最近收到其记录：{1}（共 {2} 条）", "its newest change here: {1} ({2} in all)")
        case .noChangeHere: ("本机尚未收到其记录", "no change of it here yet")
        case .thisDevice: ("（本机）", " (this device)")
        case .scopesLine: ("范围：{1}", "scopes: {1}")
        case .revokeButton: ("吊销这台设备……", "Revoke this device…")
        case .revokeTitle: ("吊销设备", "Revoke a device")
        case .revokeExplain:
            (
                "吊销后，这台设备此后签的记录在每台设备和中继上一律隔离，此前的记录仍然有效；它持有的学校密钥会随即更换。"
                    + "吊销随同步传播：确认后请立即同步。",
                "Once revoked, whatever this device signs from now on is quarantined on every device and relay; its earlier records "
                    + "stay valid, and the school keys it held are replaced at once. The revocation travels by sync: sync right after."
            )
        case .reasonLabel: ("原因（例如：手机丢失）", "Reason (e.g. phone lost)")
        case .authorityPassphrase: ("授权密钥口令", "Authority key passphrase")
        case .confirmRevoke: ("确认吊销", "Revoke")
        case .revokedNotice: ("已吊销 {1}。请立即同步，使中继和各设备尽快拒绝它。", "{1} is revoked. Sync now so the relay and every device refuse it soon.")
        case .keysRotated: ("已更换密钥：{1}", "keys replaced: {1}")
        case .cannotRevokeHere:
            (
                "吊销需在保存授权密钥的设备上进行（教育局的离线电脑）。",
                "Revoking needs the device that keeps the authority key (the bureau's offline computer)."
            )
        case .reasonRequired: ("请填写原因（不超过 40 个字）。", "Give a reason (at most 128 bytes).")
        case .onlyAdmins: ("只有学校或区县管理员的设备能查看本区设备。", "Only a school or district admin's device shows the district's devices.")
        case .unknownDevice: ("没有这台设备：请从设备列表中选择。", "No such device: choose one from the list.")
        case .figuresHeading: ("各校月度汇总数（学校签名上报）", "Schools' monthly figures (published, signed)")
        case .noFiguresYet:
            ("尚未收到任何学校上报的月度汇总数（学校管理员运行 baoxue report publish）。", "No school has published monthly figures yet (baoxue report publish).")
        case .figuresSchool: ("学校", "School")
        case .figuresChildren: ("儿童", "Children")
        case .figuresSuspected: ("疑似", "Suspected")
        case .figuresDropouts: ("辍学", "Dropouts")
        case .figuresReturned: ("劝返", "Returned")
        case .figuresHomeHours: ("送教课时", "Home hours")
        case .figuresMonth: ("{1} 月", "{1}")
        case .figuresTotal: ("合计", "Total")
        case .figuresNote:
            (
                "各校数字由学校管理员的设备签名上报，中继无法改动；只有计数，没有任何儿童的姓名、年级或村组。",
                "Each school's counts are signed by its admin's device; no relay can alter them. Counts only: no child's name, grade "
                    + "or village."
            )
        case .dashboardTitle: ("数据看板", "Dashboard")
        case .dashboardExplain:
            (
                "数字来自各校签名上报的月度汇总数（台账 → 上报月度汇总数），与各校月报一致。",
                "The figures are the schools' signed monthly publications (Ledgers → publish), as in their monthly reports."
            )
        case .dashboardLedgers: ("{1}：台账进出", "{1}: ledger entries")
        case .dashboardWork: ("{1}：家访与摸排", "{1}: visits and the household survey")
        case .dashboardHouseholdsChecked: ("摸排户数", "households surveyed")
        case .dashboardHouseholdsWithFindings: ("发现问题的户数", "households with a finding")
        case .dashboardEntered: ("新进台账", "entered")
        case .dashboardClosed: ("销号", "closed out")
        case .dashboardVisits: ("家访", "visits")
        case .dashboardDistrict: ("全区县", "District")
        case .dashboardSchools: ("各校（{1} 月）", "Schools ({1})")
        case .dashboardSchoolLine: ("儿童 {1}，在册 {2}，劝返 {3}", "{1} children, {2} on the ledgers, {3} returned")
        case .dashboardNotPublished: ("本月尚未上报", "not published this month")
        case .dashboardNoSuchSchool: ("没有这所学校的上报数字：请从看板中选择。", "No figures for that school: choose one on the dashboard.")
        case .dashboardChildren: ("{1} 的儿童（{2} 人）", "Children of {1} ({2})")
        case .dashboardLink: ("数据看板：各校月度数字与图表", "dashboard: the schools' monthly figures as charts")
        case .dashboardHomeTeaching: ("{1}：送教上门课时与政策要求", "{1}: home-teaching class hours against the policy")
        case .dashboardHoursExpected: ("政策要求课时", "hours the policy asks")
        case .dashboardFollowUp: ("{1}：劝返复学巩固（{2} 月底）", "{1}: returned children followed up (end of {2})")
        case .dashboardMonthsBack: ("{1} 个月前", "{1} mo ago")
        case .dashboardReturnedThen: ("当时复学", "returned then")
        case .dashboardStillInSchool: ("仍在校", "still in school")
        case .equivocatingDevice: ("（重复签名，待裁决）", " (equivocated, awaiting a ruling)")
        }
    }
}

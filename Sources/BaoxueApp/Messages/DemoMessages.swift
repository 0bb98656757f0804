/// The narrated demos (`baoxue demo`, the township demo).
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum DemoMessages: String, Message {
    case twoDevicesClassTeacherVillage, offlineTeacherImportsRosterOf, metAtSchoolAndSynced, forgedChangeIsRefused,
        forgedChangeWasAccepted, onLiaisonsDeviceChildrenOn, logOnTeachersDeviceLast, bureauCertifiesRelayTwoTeachers,
        townshipRelayServesOn, schoolAdminSealsSchoolsKey, teacherImportsRoster, teacherRelay, teacherBRelay, liaisonRelay,
        twoWeeksBeforeTeacherRecords, offlineDayTeacherRecordsDays, childsHistoryOnLiaisonsDevice, searchedRelaysFilesKbFor,
        mergedLedgersOnLiaisonsDevice, since, conflictToSettleSStatus, teacherTeacherBAtSchool, childrenMustBeBetweenAnd, demoDataIsIn,
        logsIdentical, logsDifferent, mergedChildRecord, threeDevicesAgree, threeDevicesDisagree, relayInference, relayCanTellApart,
        relayCannotTellApart, doneRelayStopped, transferSeen, ledgerCount, authorityKeyKept

    public var text: (zh: String, en: String) {
        switch self {
        case .twoDevicesClassTeacherVillage: ("[1/5] 建立两台设备：班主任 {1}，村联络员 {2}", "[1/5] two devices: class teacher {1}, village liaison {2}")
        case .offlineTeacherImportsRosterOf:
            (
                "[2/5] 离线记录：班主任导入 40 名学生花名册，记下家访和返校状态，联络员改了学校名并标注留守儿童（各自签名）",
                "[2/5] offline: the teacher imports a roster of 40, records a visit and a return, the liaison edits the"
                    + " school and flags left-behind (each signed)"
            )
        case .metAtSchoolAndSynced:
            (
                "[3/5] 在学校相遇，经 2G 网络（模拟 50 kbit/s）同步，全部验签通过。联络员一侧：",
                "[3/5] met at school and synced over a 2G link (simulated, 50 kbit/s), every signature verified." + " Liaison's side: "
            )
        case .forgedChangeIsRefused: ("[5/5] 伪造的变更被拒收：", "[5/5] a forged change is refused: ")
        case .forgedChangeWasAccepted: ("[5/5] 伪造的变更竟被接受！", "[5/5] a forged change was ACCEPTED!")
        case .onLiaisonsDeviceChildrenOn:
            (
                "联络员设备上：{1} 名儿童，疑似辍学台账 {2} 人，待核对冲突 {3} 项",
                "on the liaison's device: {1} children, {2} on the suspected-dropout ledger, {3} conflicts to review"
            )
        case .logOnTeachersDeviceLast: ("班主任设备上的日志（最近 5 条）：", "log on the teacher's device (last 5):")
        case .bureauCertifiesRelayTwoTeachers:
            (
                "[1/7] 教育局签发证书：东镇中继、王老师、李老师（{1}）、村联络员赵某。",
                "[1/7] the bureau certifies a relay, two teachers ({1}) and a village liaison."
            )
        case .townshipRelayServesOn: ("[2/7] 乡镇中继在 {1} 运行。", "[2/7] the township relay serves on {1}.")
        case .schoolAdminSealsSchoolsKey:
            (
                "[2/7] 学校管理员把本校第 {1} 代密钥封存给各成员和教育局：此后记录在设备上加密，中继只转存密文。",
                "[2/7] the school admin seals the school's key (epoch {1}) to every member and the bureau: from now on"
                    + " records are encrypted on the devices and the relay carries ciphertext only."
            )
        case .teacherImportsRoster: ("[3/7] 王老师导入学籍花名册：", "[3/7] the teacher imports the roster: ")
        case .teacherRelay: ("王老师 ↔ 中继", "teacher A ↔ relay")
        case .teacherBRelay: ("李老师 ↔ 中继", "teacher B ↔ relay")
        case .liaisonRelay: ("联络员 ↔ 中继", "liaison ↔ relay")
        case .twoWeeksBeforeTeacherRecords:
            (
                "[3/7] 前两周：王老师逐日记录缺课（{1} 名儿童连续旷课 3 天），联络员家访其他儿童；均已同步到中继。",
                "[3/7] the two weeks before: teacher A records absences day by day ({1} children miss 3 days running"
                    + " unexcused), the liaison visits others; all synced through the relay."
            )
        case .offlineDayTeacherRecordsDays:
            (
                "[4/7] 离线的一天：王老师记下 3 天旷课并改为疑似辍学；李老师同时把同一儿童改为转出，并记录一次送教上门；联络员家访并劝返。",
                "[4/7] an offline day: teacher A records 3 days' absence and marks the child a suspected dropout;"
                    + " teacher B, at the same time, marks the same child transferred out and records a home-teaching"
                    + " session; the liaison visits and persuades."
            )
        case .childsHistoryOnLiaisonsDevice:
            (
                "该儿童的记录史（联络员设备上，逐条验签）：",
                "the child's history (on the liaison's device, each change re-verified):"
            )
        case .searchedRelaysFilesKbFor:
            (
                "在中继的文件（{1} KB）中查找 {2} 个儿童姓名：找到 {3} 个。",
                "searched the relay's files ({1} KB) for the {2} children's names: {3} found."
            )
        case .mergedLedgersOnLiaisonsDevice: ("[7/7] 合并后的台账（联络员设备上）：", "[7/7] the merged ledgers (on the liaison's device):")
        case .since: ("自", "since")
        case .conflictToSettleSStatus: ("待人工核实的冲突：{1} 的状态有 {2} 个并发值：", "conflict to settle: {1}'s status has {2} concurrent values:")
        case .teacherTeacherBAtSchool: ("王老师 ↔ 李老师（在学校，点对点）", "teacher A ↔ teacher B (at school, peer to peer)")
        case .childrenMustBeBetweenAnd: ("--children 应在 2 到 20000 之间", "--children must be between 2 and 20000")
        case .demoDataIsIn: ("示例数据在：{1}", "demo data is in: {1}")
        case .logsIdentical: ("[4/5] 两台设备的日志一致：{1} 个最新变更", "[4/5] the two logs are identical: {1} head(s)")
        case .logsDifferent: ("[4/5] 两台设备的日志不一致！{1} 个最新变更", "[4/5] the two logs are DIFFERENT! {1} head(s)")
        case .mergedChildRecord: ("合并后的儿童记录：{1} · {2} · {3} · 重点群体 {4}", "merged child record: {1} · {2} · {3} · focus {4}")
        case .threeDevicesAgree: ("[6/7] 三台设备已一致（{1} 个最新变更）。", "[6/7] the three devices agree ({1} heads).")
        case .threeDevicesDisagree: ("[6/7] 三台设备不一致！（{1} 个最新变更）。", "[6/7] the three devices DISAGREE ({1} heads).")
        case .relayInference:
            (
                "中继数据推断：只凭中继的数据库和花名册顺序，按中继可见的每个字段（大小、类别、作者、密钥代、依赖、时间）给 {1} 名儿童打分，找台账上的 {2} 名：最好的一种 AUC = {3}（随机为"
                    + " 0.5，偶然范围 ±{4}）——{5}；找到身份证号：{6} 个。",
                "relay inference: from the relay's database and the roster's order alone, scoring {1} children by every"
                    + " field the relay sees (size, class, author, key epoch, deps, time) to find the {2} on ledgers: best"
                    + " AUC {3} (chance 0.5, ±{4} by chance) — {5}; ID numbers found: {6}."
            )
        case .relayCanTellApart: ("能区分！", "it CAN tell them apart!")
        case .relayCannotTellApart: ("无法区分", "it cannot tell the ledger children apart")
        case .doneRelayStopped: ("完成，用时 {1} 秒。中继已停止。", "done in {1} s; the relay has stopped.")
        case .authorityKeyKept:
            (
                "教育局（钱科长）的设备保存授权密钥（口令“{1}”）：在其 baoxue ui 的“我的 → 本区设备”中可吊销丢失的手机。",
                "The bureau's device keeps the authority key (passphrase \"{1}\"): in its baoxue ui, Me → devices revokes a lost phone."
            )
        case .transferSeen:
            (
                "[6/7] 转学：区教育局把第二名儿童转到东镇第二小学。周老师（只同步本校）同步后看到：{1}，状态{2}，送教上门记录 {3} 条；其他儿童 {4} 名。",
                "[6/7] a transfer: the district moves the second child to another school. Teacher C (syncing only that"
                    + " school) now sees: {1}, status {2}, {3} home-teaching record(s); other children: {4}."
            )
        case .ledgerCount: ("{1}：{2} 人", "{1}: {2}")
        }
    }
}

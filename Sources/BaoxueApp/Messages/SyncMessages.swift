/// Syncing: progress, summaries, the relay's status, and why a sync stopped.
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum SyncMessages: String, Message {
    case backedUpToChangesKib, changesQuarantinedEquivocatingGapsUnwitnessed, noDeviceHasSyncedYet, unenrolled, lastSessionsFailedBehindBy,
        lastFailure, equivocatedAwaitingDistrictAdminsRuling, itemsNeedAttentionRunBaoxue, reconcilingSoFar, aboutSLeft, receivedSent,
        peerSpeaksAnotherSyncProtocol, peerSentOversizeMessageBytes, peerSentMalformedDataDisconnected, secureHandshakeFailedPeerCould,
        receivedDataThatDoesNot, peerDeviceFingerprintIsNot, peerDeviceFingerprintWasRevoked, peersClaimedDeviceKeyDoes,
        peerSentMessageOutOf, peerSentChangesThatWere, peerSentInvalidChangeWhole, peerKeptSendingWithoutWaiting,
        reconciliationTookTooManyRounds, handshakeTimedOutPeerDid, connectionWentSilentDisconnectedAcknowledged,
        thisDevicesCertificateWasRevoked, peerHasNotAllowedThis, peerWentOverThisSides, relaysLimitWasReachedAcknowledged, peerEndedSync,
        connectionDroppedAcknowledgedChangesAre, localReplicaFailedCheckDisk, portIsInUseAnother, cannotListenOnCheckThat,
        cannotReachCheckThatPeer, peersStorageIsFull, thisDeviceIsRevoked, noteChangesOfThisDevice, thisDeviceWasRevokedBy,
        syncDonePeerSentReceived, addressMustBeHostPort, connecting, syncingWith, syncProgress, syncedWith, syncWithDidNotFinish,
        everythingRecordedHereHasReached, changesRecordedHereHaveNo, addressOfTownshipRelayOr, syncNow, sync, mustBeGreaterThan,
        relayListeningOnPort, metricsOnPort, relayStopped, allowedDevicesOnList, listeningOnPortWaitingFor

    public var text: (zh: String, en: String) {
        switch self {
        case .backedUpToChangesKib: ("已备份到 {1}：{2} 条变更，{3} KiB，完整性检查：{4}。", "backed up to {1}: {2} changes, {3} KiB, integrity check: {4}.")
        case .changesQuarantinedEquivocatingGapsUnwitnessed:
            (
                "变更 {1} 条；隔离 {2}；一号多签 {3}；缺失 {4}；未见证 {5}；磁盘 {6} MiB。",
                "{1} changes; {2} quarantined; {3} equivocating; {4} gaps; {5} unwitnessed; disk {6} MiB."
            )
        case .noDeviceHasSyncedYet: ("尚无设备同步过。", "no device has synced yet.")
        case .unenrolled: ("未登记", "unenrolled")
        case .lastSessionsFailedBehindBy:
            (
                "{1} {2} 最近 {3}，{4} 次同步（失败 {5}），落后 {6} 条 / {7} 分钟",
                "{1} {2} last {3}, {4} sessions ({5} failed), behind by {6} changes / {7} min"
            )
        case .lastFailure: ("；上次失败：{1}", "; last failure: {1}")
        case .equivocatedAwaitingDistrictAdminsRuling: ("；⚠ 一号多签，待区县管理员裁决", "; ⚠ EQUIVOCATED, awaiting a district admin's ruling")
        case .itemsNeedAttentionRunBaoxue:
            (
                "有需要处理的事项：运行 baoxue alerts 与 baoxue quarantine 查看。",
                "items need attention: run baoxue alerts and baoxue quarantine."
            )
        case .reconcilingSoFar: ("正在对账…… 已传 {1}", "reconciling… {1} so far")
        case .aboutSLeft: ("，预计还需 {1} 秒", ", about {1} s left")
        case .receivedSent: ("收 {1}/{2} 条，发 {3}/{4} 条，{5}{6}", "received {1}/{2}, sent {3}/{4}, {5}{6}")
        case .peerSpeaksAnotherSyncProtocol:
            (
                "对方的同步协议版本不同，无法同步。请双方都升级到最新版本。",
                "the peer speaks another sync protocol version. Update both devices to the latest version."
            )
        case .peerSentOversizeMessageBytes:
            (
                "对方发来超长数据（{1} 字节，上限 {2}），已断开。未保存任何数据。",
                "the peer sent an oversize message ({1} bytes, limit {2}); disconnected, nothing stored."
            )
        case .peerSentMalformedDataDisconnected:
            (
                "对方发来的数据格式错误（{1}），已断开。未保存任何数据。",
                "the peer sent malformed data ({1}); disconnected, nothing stored."
            )
        case .secureHandshakeFailedPeerCould:
            (
                "安全握手失败：对方身份无法验证，或连接被篡改、重放。请确认连接的是正确的设备。",
                "secure handshake failed: the peer could not be authenticated, or the connection was tampered with or"
                    + " replayed. Check that you are connecting to the right device."
            )
        case .receivedDataThatDoesNot:
            (
                "收到无法解密的数据，连接可能被篡改，已断开。请重新同步。",
                "received data that does not decrypt; the connection may have been tampered with. Sync again."
            )
        case .peerDeviceFingerprintIsNot:
            (
                "对方设备（指纹 {1}）不在同步清单中。核对指纹后用 baoxue peer allow 添加。",
                "the peer device (fingerprint {1}) is not on the peer list. Check its fingerprint, then add it with" + " baoxue peer allow."
            )
        case .peerDeviceFingerprintWasRevoked:
            (
                "对方设备（指纹 {1}）已被教育局吊销：只把吊销通知发给它，它发来的数据一律不保存。",
                "the peer device (fingerprint {1}) was revoked by the bureau: it is sent its revocation only, and"
                    + " nothing it sends is stored."
            )
        case .peersClaimedDeviceKeyDoes:
            (
                "对方声称的设备密钥与握手密钥不符，已拒绝。",
                "the peer's claimed device key does not match its handshake key; refused."
            )
        case .peerSentMessageOutOf: ("对方在错误的时机发来消息（类型 {1}），已断开。", "the peer sent a message out of turn (type {1}); disconnected.")
        case .peerSentChangesThatWere:
            (
                "对方发来未经请求的变更，已断开。该批未保存。",
                "the peer sent changes that were not asked for; disconnected, that batch was not stored."
            )
        case .peerSentInvalidChangeWhole:
            (
                "对方发来的变更无效（{1}），整批未保存。请告知教育办核查对方设备。",
                "the peer sent an invalid change ({1}); the whole batch was not stored. Tell the township office to" + " check that device."
            )
        case .peerKeptSendingWithoutWaiting:
            (
                "对方未等确认就持续发送，已断开。",
                "the peer kept sending without waiting for acknowledgements; disconnected."
            )
        case .reconciliationTookTooManyRounds:
            (
                "对账轮次过多，对方行为异常，已断开。",
                "reconciliation took too many rounds; the peer misbehaves. Disconnected."
            )
        case .handshakeTimedOutPeerDid:
            (
                "握手超时：对方没有及时回应。请检查网络后重试。",
                "handshake timed out: the peer did not answer in time. Check the network and try again."
            )
        case .connectionWentSilentDisconnectedAcknowledged:
            (
                "连接长时间无数据，已断开。已确认的数据已保存，重新同步会从断点继续。",
                "the connection went silent; disconnected. Acknowledged changes are saved, and the next sync continues" + " from there."
            )
        case .thisDevicesCertificateWasRevoked:
            (
                "本设备的证书已被教育局吊销，对方不再与它同步。请把设备交回学校，并联系教育办重新登记。",
                "this device's certificate was revoked by the bureau, so peers no longer sync with it. Hand the device"
                    + " back to the school and ask the township office to enroll a new one."
            )
        case .peerHasNotAllowedThis:
            (
                "对方设备没有允许本机同步。请对方核对本机指纹（baoxue whoami）后运行 baoxue peer allow 添加本机公钥。",
                "the peer has not allowed this device. Ask them to check this device's fingerprint (baoxue whoami) and"
                    + " add its public key with baoxue peer allow."
            )
        case .peerWentOverThisSides: ("对方超出本机限额（{1}），已结束同步。", "the peer went over this side's limit ({1}); sync ended.")
        case .relaysLimitWasReachedAcknowledged:
            (
                "中继限额已满（{1}）。已确认的数据已保存；请稍后再同步，会从断点继续。",
                "the relay's limit was reached ({1}). Acknowledged changes are saved; sync again later to continue from" + " there."
            )
        case .peerEndedSync: ("对方结束了同步（{1} {2}）。", "the peer ended the sync ({1} {2}).")
        case .connectionDroppedAcknowledgedChangesAre:
            (
                "连接中断。已确认的数据已保存，重新运行同步会从断点继续。",
                "the connection dropped. Acknowledged changes are saved; run sync again to continue from there."
            )
        case .localReplicaFailedCheckDisk: ("本机副本读写失败（{1}）。请检查磁盘空间后重试。", "the local replica failed ({1}). Check disk space and try again.")
        case .portIsInUseAnother:
            (
                "端口已被占用：{1}。可能另一个 baoxue serve 或中继已在运行；请先停止它，或用 --listen 换一个端口。",
                "the port is in use: {1}. Another baoxue serve or relay may be running; stop it, or choose another port" + " with --listen."
            )
        case .cannotListenOnCheckThat:
            (
                "无法在 {1} 上监听。请检查地址是否属于本机（如 0.0.0.0 或 127.0.0.1），或换一个端口。",
                "cannot listen on {1}. Check that the address belongs to this machine (e.g. 0.0.0.0 or 127.0.0.1), or"
                    + " choose another port."
            )
        case .cannotReachCheckThatPeer:
            (
                "无法连接 {1}。请确认对方已运行 baoxue serve，且在同一网络。",
                "cannot reach {1}. Check that the peer runs baoxue serve and is on the same network."
            )
        case .peersStorageIsFull: ("对方存储空间已满", "the peer's storage is full")
        case .thisDeviceIsRevoked: ("本设备已被吊销", "this device is revoked")
        case .noteChangesOfThisDevice:
            (
                "注意：{1}，本机有 {2} 条变更未上传，仍保存在本机。对方的数据已照常收到；请稍后再同步（或告知乡镇教育办）。",
                "note: {1}; {2} change(s) of this device were not uploaded and stay here. The peer's changes were"
                    + " received as usual; sync again later (or tell the township office)."
            )
        case .thisDeviceWasRevokedBy:
            (
                "本设备已被教育局吊销：设备上的学校密钥和学生记录视图已清除。请把设备交回学校，联系乡镇教育办重新登记。",
                "this device was revoked by the bureau: its school keys and the children's records were wiped. Return"
                    + " the device to the school and ask the township office to enroll it again."
            )
        case .syncDonePeerSentReceived:
            (
                "同步完成（对方 {1}）：发出 {2} 条，收到 {3} 条；流量 发 {4} / 收 {5}；对账往返 {6} 次；用时 {7} 秒",
                "sync done (peer {1}): sent {2}, received {3} change(s); bytes out {4} / in {5}; {6} round trip(s); {7}" + " s"
            )
        case .addressMustBeHostPort: ("地址应为 主机:端口，如 192.168.1.10:7400。", "the address must be host:port, e.g. 192.168.1.10:7400.")
        case .connecting: ("正在连接……", "connecting…")
        case .syncingWith: ("正在与 {1} 同步", "Syncing with {1}")
        case .syncProgress: ("同步进度", "sync progress")
        case .syncedWith: ("已与 {1} 同步。", "Synced with {1}.")
        case .syncWithDidNotFinish: ("与 {1} 同步未完成：", "Sync with {1} did not finish: ")
        case .everythingRecordedHereHasReached: ("本机的记录都已到达乡镇中继（有回执）。", "Everything recorded here has reached the township relay.")
        case .changesRecordedHereHaveNo:
            (
                "本机有 {1} 条记录尚未得到乡镇中继的回执（已发出的，回执随下次同步返回）。",
                "{1} change(s) recorded here have no receipt from the township relay yet (for ones just sent, it comes"
                    + " with the next sync)."
            )
        case .addressOfTownshipRelayOr: ("乡镇中继或同事设备的地址", "Address of the township relay or a colleague's device")
        case .syncNow: ("开始同步", "Sync now")
        case .sync: ("同步", "Sync")
        case .mustBeGreaterThan: ("{1} 必须大于 0", "{1} must be greater than 0")
        case .relayListeningOnPort: ("中继正在监听端口 {1}", "relay listening on port {1}")
        case .metricsOnPort: ("，指标端口 {1}", ", metrics on port {1}")
        case .relayStopped: ("中继已停止。", "relay stopped.")
        case .allowedDevicesOnList: ("已允许。清单中共 {1} 台设备。", "allowed. {1} device(s) on the list.")
        case .listeningOnPortWaitingFor: ("正在监听端口 {1}，等待同步……", "listening on port {1}, waiting for peers…")
        }
    }
}

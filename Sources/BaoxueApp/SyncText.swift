import BaoxueSync

/// The user-facing wording of sync failures, in both languages: the cause and what to do.
enum SyncText {
    static func error(_ e: SyncError, _ l: Language) -> String {
        switch e {
        case .unsupportedVersion:
            return l.pick(
                "对方的同步协议版本不同，无法同步。请双方都升级到最新版本。",
                "the peer speaks another sync protocol version. Update both devices to the latest version.")
        case .frameTooLarge(let length, let limit):
            return l.pick(
                "对方发来超长数据（\(length) 字节，上限 \(limit)），已断开。未保存任何数据。",
                "the peer sent an oversize message (\(length) bytes, limit \(limit)); disconnected, nothing stored.")
        case .malformed(let why):
            return l.pick("对方发来的数据格式错误（\(why)），已断开。未保存任何数据。", "the peer sent malformed data (\(why)); disconnected, nothing stored.")
        case .handshakeFailed:
            return l.pick(
                "安全握手失败：对方身份无法验证，或连接被篡改、重放。请确认连接的是正确的设备。",
                "secure handshake failed: the peer could not be authenticated, or the connection was tampered with "
                    + "or replayed. Check that you are connecting to the right device.")
        case .decryptFailed:
            return l.pick(
                "收到无法解密的数据，连接可能被篡改，已断开。请重新同步。",
                "received data that does not decrypt; the connection may have been tampered with. Sync again.")
        case .peerNotAllowed(let key):
            return l.pick(
                "对方设备（指纹 \(key.fingerprint.text)）不在同步清单中。核对指纹后用 baoxue peer allow 添加。",
                "the peer device (fingerprint \(key.fingerprint.text)) is not on the peer list. Check its "
                    + "fingerprint, then add it with baoxue peer allow.")
        case .revoked(let key):
            return l.pick(
                "对方设备（指纹 \(key.fingerprint.text)）已被教育局吊销：只把吊销通知发给它，它发来的数据一律不保存。",
                "the peer device (fingerprint \(key.fingerprint.text)) was revoked by the bureau: "
                    + "it is sent its revocation only, and nothing it sends is stored.")
        case .keyMismatch:
            return l.pick("对方声称的设备密钥与握手密钥不符，已拒绝。", "the peer's claimed device key does not match its handshake key; refused.")
        case .unexpectedMessage(let type):
            return l.pick("对方在错误的时机发来消息（类型 \(type)），已断开。", "the peer sent a message out of turn (type \(type)); disconnected.")
        case .unsolicitedChange:
            return l.pick(
                "对方发来未经请求的变更，已断开。该批未保存。",
                "the peer sent changes that were not asked for; disconnected, that batch was not stored.")
        case .invalidChange(let why):
            return l.pick(
                "对方发来的变更无效（\(why)），整批未保存。请告知教育办核查对方设备。",
                "the peer sent an invalid change (\(why)); the whole batch was not stored. Tell the township office "
                    + "to check that device.")
        case .windowExceeded:
            return l.pick("对方未等确认就持续发送，已断开。", "the peer kept sending without waiting for acknowledgements; disconnected.")
        case .tooManyRounds:
            return l.pick("对账轮次过多，对方行为异常，已断开。", "reconciliation took too many rounds; the peer misbehaves. Disconnected.")
        case .handshakeTimeout:
            return l.pick(
                "握手超时：对方没有及时回应。请检查网络后重试。",
                "handshake timed out: the peer did not answer in time. Check the network and try again.")
        case .idleTimeout:
            return l.pick(
                "连接长时间无数据，已断开。已确认的数据已保存，重新同步会从断点继续。",
                "the connection went silent; disconnected. Acknowledged changes are saved, and the next sync "
                    + "continues from there.")
        case .peerAborted(6, let reason) where reason.contains("revoked"):
            return l.pick(
                "本设备的证书已被教育局吊销，对方不再与它同步。请把设备交回学校，并联系教育办重新登记。",
                "this device's certificate was revoked by the bureau, so peers no longer sync with it. "
                    + "Hand the device back to the school and ask the township office to enroll a new one.")
        case .peerAborted(6, _):
            return l.pick(
                "对方设备没有允许本机同步。请对方核对本机指纹（baoxue whoami）后运行 baoxue peer allow 添加本机公钥。",
                "the peer has not allowed this device. Ask them to check this device's fingerprint (baoxue whoami) and add its public "
                    + "key with baoxue peer allow."
            )
        case .overLimit(let which):
            return l.pick("对方超出本机限额（\(which)），已结束同步。", "the peer went over this side's limit (\(which)); sync ended.")
        case .peerAborted(19, let reason):
            return l.pick(
                "中继限额已满（\(reason)）。已确认的数据已保存；请稍后再同步，会从断点继续。",
                "the relay's limit was reached (\(reason)). Acknowledged changes are saved; sync again later to continue from there.")
        case .peerAborted(let code, let reason):
            return l.pick("对方结束了同步（\(code) \(reason)）。", "the peer ended the sync (\(code) \(reason)).")
        case .connectionClosed:
            return l.pick(
                "连接中断。已确认的数据已保存，重新运行同步会从断点继续。",
                "the connection dropped. Acknowledged changes are saved; run sync again to continue from there.")
        case .store(let why):
            return l.pick("本机副本读写失败（\(why)）。请检查磁盘空间后重试。", "the local replica failed (\(why)). Check disk space and try again.")
        case .cannotListen(let address, true):
            return l.pick(
                "端口已被占用：\(address)。可能另一个 baoxue serve 或中继已在运行；请先停止它，或用 --listen 换一个端口。",
                "the port is in use: \(address). Another baoxue serve or relay may be running; stop it, or choose "
                    + "another port with --listen.")
        case .cannotListen(let address, false):
            return l.pick(
                "无法在 \(address) 上监听。请检查地址是否属于本机（如 0.0.0.0 或 127.0.0.1），或换一个端口。",
                "cannot listen on \(address). Check that the address belongs to this machine (e.g. 0.0.0.0 or "
                    + "127.0.0.1), or choose another port.")
        case .unreachable(let address):
            return l.pick(
                "无法连接 \(address)。请确认对方已运行 baoxue serve，且在同一网络。",
                "cannot reach \(address). Check that the peer runs baoxue serve and is on the same network.")
        }
    }
}

import BaoxueCore
import BaoxueRecords
import BaoxueStore

/// The user-facing wording of store and core errors, in both languages.
enum ErrorText {
    static func store(_ e: StoreError, _ l: Language) -> String {
        switch e {
        case .keyFileExists(let p):
            return l.pick("密钥文件已存在：\(p)。不会覆盖已有设备密钥。", "key file already exists: \(p). An existing device key is never overwritten.")
        case .keyFileMissing(let p):
            return l.pick("找不到密钥文件：\(p)。请先运行 baoxue init。", "no key file at \(p). Run baoxue init first.")
        case .keyFileTooOpen(let p, let mode):
            return l.pick(
                "密钥文件权限过宽（\(mode)）：\(p)。请运行 chmod 600 \(p) 后重试。",
                "key file is readable by others (mode \(mode)): \(p). Run chmod 600 \(p) and try again.")
        case .keyFileNotOwned(let p):
            return l.pick("密钥文件属于其他用户：\(p)。请用本设备的账户运行。", "key file belongs to another user: \(p). Run as the device's own user.")
        case .keyFileMalformed(let p):
            return l.pick(
                "密钥文件已损坏或格式不对：\(p)。请从备份恢复，或联系教育办重新登记设备。",
                "key file is damaged or not a Baoxue key: \(p). Restore it from backup or re-enroll the device.")
        case .replicaExists(let p):
            return l.pick(
                "此目录已有副本：\(p)。如需使用它，请直接运行其他命令；如需新副本，请换一个目录。",
                "a replica already exists in \(p). Use it as is, or choose another folder for a new one.")
        case .replicaMissing(let p):
            return l.pick("目录中没有副本：\(p)。请先运行 baoxue init --dir \(p)。", "no replica in \(p). Run baoxue init --dir \(p) first.")
        case .invalidChange(let index, let cause):
            return l.pick(
                "第 \(index + 1) 条变更无效（\(core(cause, l))），整批未保存。",
                "change \(index + 1) is invalid (\(core(cause, l))); nothing from the batch was stored.")
        case .invalidRecord(let cause):
            return l.pick(
                "记录不符合规则（\(record(cause, l))），未保存。请改正后重试。",
                "the record breaks a rule (\(record(cause, l))); nothing was saved. Correct it and try again.")
        case .sequenceExhausted:
            return l.pick("本设备的序号已用尽，请登记新设备。", "this device has used up its sequence numbers; enroll a new device.")
        case .wrongPassphrase(let p):
            return l.pick(
                "口令不对，无法打开授权密钥 \(p)（或文件已被改动）。请核对口令后重试。",
                "the passphrase does not open the authority key \(p) (or the file was altered). Check the passphrase and try again.")
        case .weakPassphrase:
            return l.pick(
                "这个口令太容易被猜到（常见密码、重复字符、键盘顺序、日期或单词）。请设置一个只有负责人知道的长口令，例如几个不相干的词连在一起。",
                "this passphrase is too easy to guess (a common password, repeats, a keyboard run, a date or a word). "
                    + "Choose a long one only the officer in charge knows, e.g. several unrelated words together.")
        case .passphraseTooShort(let minimum, let actual):
            return l.pick(
                "口令只有 \(actual) 个字符，至少要 \(minimum) 个。请设置一个更长的口令。",
                "the passphrase has \(actual) characters; it needs at least \(minimum). Choose a longer one.")
        case .wrongUnlockPassphrase(let p):
            return l.pick(
                "口令不对，无法解锁本设备（\(p)）。请核对口令后重试；忘记口令则只能清除设备后重新同步。",
                "the passphrase does not unlock this device (\(p)). Check it and try again; if it is forgotten, wipe the device and sync "
                    + "again.")
        case .notDurable:
            return l.pick(
                "副本以非持久模式打开，不能确认收到的数据。请用正常模式打开后再同步。",
                "the replica was opened in non-durable mode and cannot acknowledge received changes. Reopen it normally and sync again.")
        case .changeMissing(let id):
            return l.pick(
                "副本中找不到变更 \(id.short)。请运行 baoxue rebuild 检查副本。", "change \(id.short) is not in the replica. Run baoxue rebuild to check it."
            )
        case .noScopeKey(let scope):
            return l.pick(
                "\(scope) 的记录已加密，本设备还没有它的密钥，未保存。请联系学校管理员运行 baoxue keys grant --scope \(scope)，同步后重试。",
                "records in \(scope) are encrypted and this device holds none of its keys; nothing was saved. Ask the school admin to "
                    + "run baoxue keys grant --scope \(scope), sync, and try again."
            )
        case .transfer(let why):
            return l.pick(
                "转学未办理：\(why)。请核对转出学校和转入学校后重试。", "the transfer was not written: \(why). Check the old and the new school and try again.")
        case .locked(let p):
            return l.pick(
                "设备已锁定：\(p)。请运行 baoxue unlock 并输入口令后再操作。", "the device is locked: \(p). Run baoxue unlock with your passphrase first.")
        case .privacy(let cause):
            return l.pick(
                "加密数据无法处理（\(cause.code)），未保存。请同步后重试；若仍失败，请联系学校管理员。",
                "encrypted data could not be handled (\(cause.code)); nothing was saved. Sync and try again; if it still fails, ask the "
                    + "school admin."
            )
        case .io(let p, let errno):
            return l.pick(
                "无法读写 \(p)（系统错误 \(errno)）。请检查目录是否存在、磁盘是否已满。",
                "cannot read or write \(p) (system error \(errno)). Check that the folder exists and the disk is not full.")
        case .overQuota(let bytes, let quota):
            return l.pick(
                "数据库已达容量上限（已用 \(bytes >> 20) MiB，上限 \(quota >> 20) MiB），未写入任何数据；仍可读取。"
                    + "请清理或调高 --max-db-mib 后重试。",
                "the database reached its quota (\(bytes >> 20) MiB used, \(quota >> 20) MiB allowed); nothing was written, "
                    + "reads go on. Free space or raise --max-db-mib and try again.")
        case .nothingToWrite:
            return l.pick("没有需要写入的内容（可能已由另一项操作写入）。", "there was nothing to write (another operation may have written it already).")
        case .earlierBatchFailed:
            return l.pick(
                "同一次同步中前一批数据未能保存，这一批也未保存。请稍后再同步。",
                "an earlier batch of this sync was not stored, so this one was not either. Sync again later.")
        case .database(let code, _) where code & 0xFF == 13:
            return l.pick("磁盘已满，未写入任何数据。请清理磁盘空间后重试。", "the disk is full; nothing was written. Free some disk space and try again.")
        case .database(let code, _) where code & 0xFF == 10:
            return l.pick(
                "写入磁盘失败（磁盘可能已满），未写入任何数据。请清理磁盘空间后重试；如仍失败，请备份副本目录后联系技术支持。",
                "writing to the disk failed (it may be full); nothing was written. Free disk space and try again; "
                    + "if it still fails, back up the replica folder and contact support.")
        case .database(let code, _) where code & 0xFF == 5 || code & 0xFF == 6:
            return l.pick(
                "副本正被另一个程序占用（如正在进行的同步或另一个 baoxue 命令），等待 5 秒后仍未释放，未写入任何数据。请等它结束后重试。",
                "the replica is in use by another program (a sync in progress or another baoxue command) and stayed locked for 5 s; "
                    + "nothing was written. Wait for it to finish and try again."
            )
        case .database(let code, let message):
            return l.pick(
                "数据库错误 \(code)：\(message)。请备份副本目录后联系技术支持。",
                "database error \(code): \(message). Back up the replica folder and contact support.")
        }
    }

    static func record(_ e: RecordsError, _ l: Language) -> String {
        switch e {
        case .missingField(let f): return RecordRuleText.missing(f, l)
        case .invalidField(let f, let reason): return RecordRuleText.invalid(f, reason, l)
        case .closeOutWithoutEvidence: return l.pick("销号必须附佐证材料和说明", "a close-out needs evidence attachments and a note")
        case .malformedPayload(let why): return l.pick("记录内容无法解析：\(why)", "record content unreadable: \(why)")
        case .payloadTooLarge: return l.pick("一次提交的操作过多", "too many operations in one change")
        case .unreadable(.formatOne, _):
            return l.pick(
                "这条记录来自旧版保学（格式 1），已不再接受；请录入它的设备升级后重新录入",
                "this record comes from an old Baoxue (payload format 1), which is no longer accepted; "
                    + "upgrade the device that wrote it and enter it again")
        case .unreadable(let fault, let what):
            return l.pick(
                "记录内容不符合规范，已拒收；请录入它的设备升级到最新版本",
                "record content breaks payload format 2 (\(fault.rawValue): \(what)) and was refused; "
                    + "upgrade the device that wrote it")
        }
    }

    static func core(_ e: CoreError, _ l: Language) -> String {
        switch e {
        case .badSignature: return l.pick("签名不符，可能被篡改", "signature does not verify; possibly tampered with")
        case .idMismatch: return l.pick("内容与编号不符", "content does not match its id")
        case .truncated(let f): return l.pick("数据不完整（\(f)）", "data is truncated (\(f))")
        case .trailingBytes(let n): return l.pick("末尾多出 \(n) 字节", "\(n) unexpected trailing bytes")
        case .badMagic: return l.pick("不是保学变更记录", "not a Baoxue change record")
        case .unknownVersion(1):
            return l.pick(
                "这条变更来自旧版保学（格式 1），已不再接受；请对方升级软件后重新录入",
                "this change comes from an old Baoxue (format 1), which is no longer accepted; "
                    + "upgrade that device and enter it again")
        case .unknownVersion(let v): return l.pick("未知格式版本 \(v)，请升级软件", "unknown format version \(v); update the software")
        case .lengthOutOfRange(let f, let v, let r):
            return l.pick("\(f) 长度 \(v) 超出范围 \(r.lowerBound)…\(r.upperBound)", "\(f) length \(v) outside \(r.lowerBound)...\(r.upperBound)")
        case .valueOutOfRange(let f): return l.pick("\(f) 的值超出范围", "\(f) is out of range")
        case .sequenceZero: return l.pick("序号不能为 0", "sequence number 0 is not allowed")
        case .depsNotCanonical: return l.pick("依赖列表未排序或有重复", "dependencies not sorted or duplicated")
        case .invalidText(let f): return l.pick("\(f) 含无效文字", "\(f) holds invalid text")
        case .invalidHex: return l.pick("十六进制格式无效", "invalid hexadecimal")
        case .wrongLength(let f, let exp, let act): return l.pick("\(f) 应为 \(exp) 字节，实际 \(act)", "\(f) must be \(exp) bytes, got \(act)")
        case .clockOverflow: return l.pick("时钟溢出", "clock overflow")
        case .keyDerivationFailed:
            return l.pick("无法由密钥文件生成签名密钥，请联系技术支持", "the signing key could not be derived from the key file; contact support")
        }
    }
}

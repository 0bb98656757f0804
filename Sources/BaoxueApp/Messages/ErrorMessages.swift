/// Why something failed and what to do about it: the text of every `AppError`.
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum ErrorMessages: String, Message {
    case error, invalidValueForRunBaoxue, isOutOfRangeFor, seeBaoxueChildListFor, lineOfPeerListIs, thisReplicasCertificateIsNot,
        fileAlreadyExistsItIs, thisCertificateWasIssuedTo, diskIsFull, writingToDiskFailedIt, databaseReachedItsQuota,
        fileCouldNotBeWritten, importStoppedAfterOfChildren, folderDoesNotExistCreate, cannotFindOrReadFile, isNeitherUtfNorGbk,
        reportManifestUnreadable, reportManifestLineUnreadable, recomputeNeedsRecords, workbookNotWritten, revokingThisDevice, monthNotOver,
        qrCodeNotMade,
        lineOfIsNotValid, noChildMatchesHereGive, grade, andMore, severalChildrenMatchUseFirst, noEntryWithIdHere, noSurveyWithIdHere,
        sCertificateMayNotRecord, thisDeviceHoldsNoCertificate, nameScopeSchoolWithScope, nothingToSyncNoLocal,
        keyFileAlreadyExistsExisting, noKeyFileAtRun, keyFileIsReadableBy, keyFileBelongsToAnother, keyFileIsDamagedOr,
        replicaAlreadyExistsInUse, noReplicaInRunBaoxue, changeIsInvalidNothingFrom, recordBreaksRuleNothingWas, thisDeviceHasUsedUp,
        passphraseDoesNotOpenAuthority, thisPassphraseIsTooEasy, passphraseHasCharactersItNeeds, passphraseDoesNotUnlockThis,
        replicaWasOpenedInNon, changeIsNotInReplica, recordsInAreEncryptedAnd, transferWasNotWrittenCheck, deviceIsLockedRunBaoxue,
        encryptedDataCouldNotBe, cannotReadOrWriteSystem, databaseReachedItsQuotaMib, thereWasNothingToWrite, earlierBatchOfThisSync,
        diskIsFullNothingWas, writingToDiskFailedItMay, replicaIsInUseBy, databaseErrorBackUpReplica, closeOutNeedsEvidenceAttachments,
        recordContentUnreadable, tooManyOperationsInOne, thisRecordComesFromOld, signatureDoesNotVerifyPossibly, contentDoesNotMatchIts,
        dataIsTruncated, unexpectedTrailingBytes, notBaoxueChangeRecord, thisChangeComesFromOld, unknownFormatVersionUpdateSoftware,
        lengthOutside, isOutOfRange, sequenceNumberIsNotAllowed, dependenciesNotSortedOrDuplicated, holdsInvalidText, invalidHexadecimal,
        mustBeBytesGot, clockOverflow, signingKeyCouldNotBe, lacksRequiredColumnsCheckSource, thisDevicesCertificateHasSeveral,
        thisDevicesCertificateDoesNot, invalidChoice, recordContentBreaksFormat, fieldIsInvalidBecause, requiredFieldMissing,
        sharedDatabaseUnusable

    public var text: (zh: String, en: String) {
        switch self {
        case .error: ("错误：", "error: ")
        case .invalidValueForRunBaoxue:
            (
                "参数 {1} 的值“{2}”无效。运行 baoxue --help 查看用法。",
                "invalid value '{2}' for {1}. Run baoxue --help for usage."
            )
        case .isOutOfRangeFor: ("参数 {1} 的值 {2} 超出范围，应为 {3}–{4} 之间的整数。", "{2} is out of range for {1}: give a whole number from {3} to {4}.")
        case .seeBaoxueChildListFor: ("。用 baoxue child list 查看儿童及其编号。", ". See baoxue child list for children and their ids.")
        case .lineOfPeerListIs:
            (
                "同步对象清单 {1} 第 {2} 行格式不对：应为“64 位十六进制公钥 空格 范围（* 或用逗号分隔）”。请改正或用 baoxue peer allow 重新添加。",
                "line {2} of the peer list {1} is malformed: expected '<64 hex public key> <* or comma-separated"
                    + " scopes>'. Fix it or re-add with baoxue peer allow."
            )
        case .sharedDatabaseUnusable:
            (
                "无法使用共享数据库（{1}）。请检查 --store 地址（如 postgresql://用户@主机:5432/库名），确认数据库正在运行、该用户可以登录并建表。",
                "cannot use the shared database ({1}). Check the --store address (postgresql://USER@HOST:5432/DATABASE),"
                    + " that the database is running, and that the user may log in and create tables."
            )
        case .thisReplicasCertificateIsNot:
            (
                "本副本的证书不是中继证书，不能作为中继运行。请用 baoxue enroll request 申请，并由教育局用 baoxue authority sign --role relay 签发。",
                "this replica's certificate is not a relay's, so it cannot serve as a relay. Request one with baoxue"
                    + " enroll request and have the bureau sign it with baoxue authority sign --role relay."
            )
        case .fileAlreadyExistsItIs: ("文件已存在：{1}。不会覆盖，请换一个文件名。", "file already exists: {1}. It is never overwritten; choose another name.")
        case .thisCertificateWasIssuedTo:
            (
                "这份证书是发给另一台设备的（指纹 {1}），不是本机（指纹 {2}）。请核对文件，或请教育办为本机签发证书。",
                "this certificate was issued to another device (fingerprint {1}), not this one ({2}). Check the file,"
                    + " or ask the township office to issue one for this device."
            )
        case .diskIsFull: ("磁盘已满", "the disk is full")
        case .writingToDiskFailedIt: ("写入磁盘失败，磁盘可能已满", "writing to the disk failed; it may be full")
        case .databaseReachedItsQuota: ("数据库已达容量上限", "the database reached its quota")
        case .fileCouldNotBeWritten: ("无法写入文件", "a file could not be written")
        case .importStoppedAfterOfChildren:
            (
                "导入中断（{1}）：已写入 {2}/{3} 名儿童，已写入的保留。处理好问题后再次运行同一命令，会从中断处继续。",
                "the import stopped ({1}) after {2} of {3} children were written; those are kept. Fix the cause and run"
                    + " the same command again to continue from there."
            )
        case .folderDoesNotExistCreate:
            (
                "文件夹不存在：{1}。请先创建它（或换一个已有的文件夹），再重试。",
                "the folder {1} does not exist. Create it (or choose an existing one) and try again."
            )
        case .cannotFindOrReadFile: ("找不到文件或无法读取：{1}。请检查路径。", "cannot find or read the file {1}. Check the path.")
        case .qrCodeNotMade:
            ("无法生成二维码（内容 {1} 字节过长）：请改用文字核对指纹。", "no QR code could be made ({1} bytes is too long): compare the fingerprint as text.")
        case .monthNotOver:
            ("{1} 尚未结束：月度汇总数须在该月最后一天（{2}）或之后上报。", "{1} is not over: publish a month's figures on its last day ({2}) or later.")
        case .revokingThisDevice:
            (
                "不能吊销正在使用的这台设备：请在另一台持有授权密钥的设备上操作。",
                "this device cannot revoke itself: do it from another device that keeps the authority key."
            )
        case .workbookNotWritten:
            (
                "无法生成工作簿（{1}）：请检查临时目录所在磁盘是否已满，清理后再试。",
                "the workbook could not be made ({1}): check that the disk holding the temporary folder is not full, then try again."
            )
        case .recomputeNeedsRecords:
            (
                "这台设备不保存儿童记录（中继），无法重新计算报表：请在学校管理员或教育局的设备上用 --dir 指定其数据目录。",
                "this device keeps no child records (a relay), so it cannot recompute a report: use --dir with a school admin's or the"
                    + " bureau's device."
            )
        case .reportManifestUnreadable:
            (
                "签名清单 {1} 无法读取：这个文件夹不是 Baoxue 导出的完整报表，或清单已损坏。请向导出人索取原件。",
                "the manifest {1} cannot be read: this folder is not a whole report exported by Baoxue, or the manifest is damaged."
                    + " Ask the exporter for the original."
            )
        case .reportManifestLineUnreadable:
            (
                "签名清单 {1} 第 {2} 行无法读取：清单已被改动或损坏。请向导出人索取原件。",
                "line {2} of the manifest {1} cannot be read: it was altered or damaged. Ask the exporter for the original."
            )
        case .isNeitherUtfNorGbk:
            (
                "{1} 既不是 UTF-8 也不是 GBK 编码。请在 Excel 中“另存为 CSV UTF-8”后重试。",
                "{1} is neither UTF-8 nor GBK. Save it from Excel as \"CSV UTF-8\" and try again."
            )
        case .lineOfIsNotValid:
            (
                "{1} 第 {2} 行不是有效的 CSV（{3}）。请从学籍/户籍系统重新导出。",
                "line {2} of {1} is not valid CSV ({3}). Export it again from the registry."
            )
        case .noChildMatchesHereGive:
            (
                "本机找不到“{1}”：可用姓名、编号前几位、身份证号（或后四位）、学籍号或监护人电话。用 baoxue child list --search 查找。",
                "no child matches '{1}' here: give a name, the first digits of its id, an ID number (or its last 4), a"
                    + " student number or a guardian's phone. Search with baoxue child list --search."
            )
        case .grade: (" {1} 年级", " grade {1}")
        case .andMore: ("\n  ……另有 {1} 人", "\n  … and {1} more")
        case .severalChildrenMatchUseFirst: ("“{1}”对应多个儿童，请改用编号前几位（如下）再试：", "several children match '{1}'; use the first digits of the id:")
        case .noEntryWithIdHere:
            (
                "本机没有编号为 {1} 的记录项。编号见 baoxue audit 每行末尾。",
                "no entry with id {1} here. The ids end each line of baoxue audit."
            )
        case .noSurveyWithIdHere:
            (
                "本机没有编号为 {1} 的摸排。请先运行 baoxue survey start，或同步后再试。",
                "no survey with id {1} here. Start one with baoxue survey start, or sync first."
            )
        case .sCertificateMayNotRecord:
            (
                "{1}的证书不能记录“{2}”，其他设备会隔离它。请由有权限的人（如学校管理员）记录。",
                "a {1}'s certificate may not record '{2}'; other devices would quarantine it. Ask someone whose role"
                    + " allows it (e.g. the school admin)."
            )
        case .thisDeviceHoldsNoCertificate:
            (
                "本机尚未登记证书，不能记录。请先运行 baoxue enroll request。",
                "this device holds no certificate yet. Run baoxue enroll request first."
            )
        case .nameScopeSchoolWithScope:
            (
                "请用 --scope 指定范围（学校），例如 --scope 丰南区/东镇/学校0。",
                "name the scope (school) with --scope, e.g. --scope 丰南区/东镇/学校0."
            )
        case .nothingToSyncNoLocal:
            (
                "没有可同步的范围：本机没有数据，清单里也没有指定范围。请用 --scope 指定，例如 --scope school-001。",
                "nothing to sync: no local data and no scope granted in the peer list. Name one with --scope, e.g." + " --scope school-001."
            )
        case .keyFileAlreadyExistsExisting:
            (
                "密钥文件已存在：{1}。不会覆盖已有设备密钥。",
                "key file already exists: {1}. An existing device key is never overwritten."
            )
        case .noKeyFileAtRun: ("找不到密钥文件：{1}。请先运行 baoxue init。", "no key file at {1}. Run baoxue init first.")
        case .keyFileIsReadableBy:
            (
                "密钥文件权限过宽（{1}）：{2}。请运行 chmod 600 {2} 后重试。",
                "key file is readable by others (mode {1}): {2}. Run chmod 600 {2} and try again."
            )
        case .keyFileBelongsToAnother:
            (
                "密钥文件属于其他用户：{1}。请用本设备的账户运行。",
                "key file belongs to another user: {1}. Run as the device's own user."
            )
        case .keyFileIsDamagedOr:
            (
                "密钥文件已损坏或格式不对：{1}。请从备份恢复，或联系教育办重新登记设备。",
                "key file is damaged or not a Baoxue key: {1}. Restore it from backup or re-enroll the device."
            )
        case .replicaAlreadyExistsInUse:
            (
                "此目录已有副本：{1}。如需使用它，请直接运行其他命令；如需新副本，请换一个目录。",
                "a replica already exists in {1}. Use it as is, or choose another folder for a new one."
            )
        case .noReplicaInRunBaoxue: ("目录中没有副本：{1}。请先运行 baoxue init --dir {1}。", "no replica in {1}. Run baoxue init --dir {1} first.")
        case .changeIsInvalidNothingFrom: ("第 {1} 条变更无效（{2}），整批未保存。", "change {1} is invalid ({2}); nothing from the batch was stored.")
        case .recordBreaksRuleNothingWas:
            (
                "记录不符合规则（{1}），未保存。请改正后重试。",
                "the record breaks a rule ({1}); nothing was saved. Correct it and try again."
            )
        case .thisDeviceHasUsedUp: ("本设备的序号已用尽，请登记新设备。", "this device has used up its sequence numbers; enroll a new device.")
        case .passphraseDoesNotOpenAuthority:
            (
                "口令不对，无法打开授权密钥 {1}（或文件已被改动）。请核对口令后重试。",
                "the passphrase does not open the authority key {1} (or the file was altered). Check the passphrase and" + " try again."
            )
        case .thisPassphraseIsTooEasy:
            (
                "这个口令太容易被猜到（常见密码、重复字符、键盘顺序、日期或单词）。请设置一个只有负责人知道的长口令，例如几个不相干的词连在一起。",
                "this passphrase is too easy to guess (a common password, repeats, a keyboard run, a date or a word)."
                    + " Choose a long one only the officer in charge knows, e.g. several unrelated words together."
            )
        case .passphraseHasCharactersItNeeds:
            (
                "口令只有 {1} 个字符，至少要 {2} 个。请设置一个更长的口令。",
                "the passphrase has {1} characters; it needs at least {2}. Choose a longer one."
            )
        case .passphraseDoesNotUnlockThis:
            (
                "口令不对，无法解锁本设备（{1}）。请核对口令后重试；忘记口令则只能清除设备后重新同步。",
                "the passphrase does not unlock this device ({1}). Check it and try again; if it is forgotten, wipe the"
                    + " device and sync again."
            )
        case .replicaWasOpenedInNon:
            (
                "副本以非持久模式打开，不能确认收到的数据。请用正常模式打开后再同步。",
                "the replica was opened in non-durable mode and cannot acknowledge received changes. Reopen it normally"
                    + " and sync again."
            )
        case .changeIsNotInReplica:
            (
                "副本中找不到变更 {1}。请运行 baoxue rebuild 检查副本。",
                "change {1} is not in the replica. Run baoxue rebuild to check it."
            )
        case .recordsInAreEncryptedAnd:
            (
                "{1} 的记录已加密，本设备还没有它的密钥，未保存。请联系学校管理员运行 baoxue keys grant --scope {1}，同步后重试。",
                "records in {1} are encrypted and this device holds none of its keys; nothing was saved. Ask the school"
                    + " admin to run baoxue keys grant --scope {1}, sync, and try again."
            )
        case .transferWasNotWrittenCheck:
            (
                "转学未办理：{1}。请核对转出学校和转入学校后重试。",
                "the transfer was not written: {1}. Check the old and the new school and try again."
            )
        case .deviceIsLockedRunBaoxue:
            (
                "设备已锁定：{1}。请运行 baoxue unlock 并输入口令后再操作。",
                "the device is locked: {1}. Run baoxue unlock with your passphrase first."
            )
        case .encryptedDataCouldNotBe:
            (
                "加密数据无法处理（{1}），未保存。请同步后重试；若仍失败，请联系学校管理员。",
                "encrypted data could not be handled ({1}); nothing was saved. Sync and try again; if it still fails,"
                    + " ask the school admin."
            )
        case .cannotReadOrWriteSystem:
            (
                "无法读写 {1}（系统错误 {2}）。请检查目录是否存在、磁盘是否已满。",
                "cannot read or write {1} (system error {2}). Check that the folder exists and the disk is not full."
            )
        case .databaseReachedItsQuotaMib:
            (
                "数据库已达容量上限（已用 {1} MiB，上限 {2} MiB），未写入任何数据；仍可读取。请清理或调高 --max-db-mib 后重试。",
                "the database reached its quota ({1} MiB used, {2} MiB allowed); nothing was written, reads go on. Free"
                    + " space or raise --max-db-mib and try again."
            )
        case .thereWasNothingToWrite:
            (
                "没有需要写入的内容（可能已由另一项操作写入）。",
                "there was nothing to write (another operation may have written it already)."
            )
        case .earlierBatchOfThisSync:
            (
                "同一次同步中前一批数据未能保存，这一批也未保存。请稍后再同步。",
                "an earlier batch of this sync was not stored, so this one was not either. Sync again later."
            )
        case .diskIsFullNothingWas:
            (
                "磁盘已满，未写入任何数据。请清理磁盘空间后重试。",
                "the disk is full; nothing was written. Free some disk space and try again."
            )
        case .writingToDiskFailedItMay:
            (
                "写入磁盘失败（磁盘可能已满），未写入任何数据。请清理磁盘空间后重试；如仍失败，请备份副本目录后联系技术支持。",
                "writing to the disk failed (it may be full); nothing was written. Free disk space and try again; if it"
                    + " still fails, back up the replica folder and contact support."
            )
        case .replicaIsInUseBy:
            (
                "副本正被另一个程序占用（如正在进行的同步或另一个 baoxue 命令），等待 5 秒后仍未释放，未写入任何数据。请等它结束后重试。",
                "the replica is in use by another program (a sync in progress or another baoxue command) and stayed"
                    + " locked for 5 s; nothing was written. Wait for it to finish and try again."
            )
        case .databaseErrorBackUpReplica:
            (
                "数据库错误 {1}：{2}。请备份副本目录后联系技术支持。",
                "database error {1}: {2}. Back up the replica folder and contact support."
            )
        case .closeOutNeedsEvidenceAttachments: ("销号必须附佐证材料和说明", "a close-out needs evidence attachments and a note")
        case .recordContentUnreadable: ("记录内容无法解析：{1}", "record content unreadable: {1}")
        case .tooManyOperationsInOne: ("一次提交的操作过多", "too many operations in one change")
        case .thisRecordComesFromOld:
            (
                "这条记录来自旧版保学（格式 1），已不再接受；请录入它的设备升级后重新录入",
                "this record comes from an old Baoxue (payload format 1), which is no longer accepted; upgrade the"
                    + " device that wrote it and enter it again"
            )
        case .signatureDoesNotVerifyPossibly: ("签名不符，可能被篡改", "signature does not verify; possibly tampered with")
        case .contentDoesNotMatchIts: ("内容与编号不符", "content does not match its id")
        case .dataIsTruncated: ("数据不完整（{1}）", "data is truncated ({1})")
        case .unexpectedTrailingBytes: ("末尾多出 {1} 字节", "{1} unexpected trailing bytes")
        case .notBaoxueChangeRecord: ("不是保学变更记录", "not a Baoxue change record")
        case .thisChangeComesFromOld:
            (
                "这条变更来自旧版保学（格式 1），已不再接受；请对方升级软件后重新录入",
                "this change comes from an old Baoxue (format 1), which is no longer accepted; upgrade that device and" + " enter it again"
            )
        case .unknownFormatVersionUpdateSoftware: ("未知格式版本 {1}，请升级软件", "unknown format version {1}; update the software")
        case .lengthOutside: ("{1} 长度 {2} 超出范围 {3}…{4}", "{1} length {2} outside {3}...{4}")
        case .isOutOfRange: ("{1} 的值超出范围", "{1} is out of range")
        case .sequenceNumberIsNotAllowed: ("序号不能为 0", "sequence number 0 is not allowed")
        case .dependenciesNotSortedOrDuplicated: ("依赖列表未排序或有重复", "dependencies not sorted or duplicated")
        case .holdsInvalidText: ("{1} 含无效文字", "{1} holds invalid text")
        case .invalidHexadecimal: ("十六进制格式无效", "invalid hexadecimal")
        case .mustBeBytesGot: ("{1} 应为 {2} 字节，实际 {3}", "{1} must be {2} bytes, got {3}")
        case .clockOverflow: ("时钟溢出", "clock overflow")
        case .signingKeyCouldNotBe: ("无法由密钥文件生成签名密钥，请联系技术支持", "the signing key could not be derived from the key file; contact support")
        case .lacksRequiredColumnsCheckSource:
            (
                "{1} 缺少必需的列：{2}。请确认 --source 选对了（xueji 学籍 / huji 户籍），并使用系统导出的原始表头。",
                "{1} lacks required columns: {2}. Check --source (xueji / huji) and keep the registry's original header" + " row."
            )
        case .thisDevicesCertificateHasSeveral:
            (
                "本机证书有多个范围，请用 --scope 指定其一：{1}",
                "this device's certificate has several scopes; name one with --scope: {1}"
            )
        case .thisDevicesCertificateDoesNot:
            (
                "本机证书不包含范围 {1}，写入会被其他设备隔离。可用范围：{2}",
                "this device's certificate does not cover {1}; what it wrote there would be quarantined. Scopes it" + " covers: {2}"
            )
        case .invalidChoice: ("参数 {1} 的值“{2}”无效，可选：{3}。", "invalid value '{2}' for {1}; choose one of: {3}.")
        case .recordContentBreaksFormat:
            (
                "记录内容不符合规范，已拒收；请录入它的设备升级到最新版本",
                "record content breaks payload format 2 ({1}: {2}) and was refused; upgrade the device that wrote it"
            )
        case .fieldIsInvalidBecause: ("{1}{2}", "{1} is invalid: {2}")
        case .requiredFieldMissing: ("缺少{1}", "required field {1} is missing")
        }
    }
}

/// Keys, certificates, signatures, alerts and what the log holds.
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum TrustMessages: String, Message {
    case fingerprintAsQRCode, fingerprintQRCaption, deviceSignedTwoDifferentChanges, missingFromDeviceInSince,
        revokedDeviceChangesDatedBefore, changesQuarantinedRunBaoxueQuarantine,
        noAlerts, attachmentWrittenToBytesIt, unenrolledDevice, verified, signatureInvalid, notWitnessedByRelay, witnessedBy, validUntil,
        createdReplica, deviceFingerprint, publicKey, replicaFolder, changesWaitingForDepsHeld, readFingerprintToTownshipOffice, applied,
        pending, quarantined, held, signatureOk, encrypted, noKeyHereDeclares, notRecordPayloadBytes, authorHasNoCertificateYet,
        authorsRoleMayNotDo, outsideAuthorsCertificateScopes, certificateWasNotValidAt, selfSignedCertificate, unknownIssuerWaitingForIts,
        authorsDeviceWasRevokedBefore, clockOverHAheadOf, delegationExceedsItsGrant, deviceChangesChildren, neverSyncedRunBaoxueSync,
        lastSyncedWithSessions, everythingRecordedHereHasReached, ofThisDevicesChangesHave, conflictsToSettleQuarantinedWaiting,
        fileIsNotValidCheck, signatureDoesNotVerifyFile, certificateIsSelfSignedAnd, issuerFingerprintIsNotThis,
        delegationExceedsItsOwnGrant, certificateIsNotValidAt, deviceHasNoCertificateYet, scopeIsOutsideCertificate,
        deviceWasRevokedItsLater, certificatesInvalid, noAuthorityPinnedCertificatesNot, verifiedChangesFromAuthorsFailed,
        failedReSyncFromAnother, authorityPassphrase, authorityKeyCreated, authorityPublicKey, authorityFingerprint, signed,
        requestWritten, handFileToEducationBureau, certificateValidAndKept, revocationWritten, publishedAndInEffectIt,
        recordedButNotInEffect, rotatedKeyOfRevokedDevice, rulingSignedAndInEffect, rulingRecordedButNotIn, quarantinedChanges, verifying,
        entries, certificateOf, roleMayNot

    public var text: (zh: String, en: String) {
        switch self {
        case .fingerprintAsQRCode: ("同一指纹的二维码（管理员可扫码核对）：", "The same fingerprint as a QR code (for the admin to scan and compare):")
        case .fingerprintQRCaption:
            ("本机指纹 {1} 的二维码：登记时请管理员扫码或逐字核对。", "This device's fingerprint {1} as a QR code: at enrollment the admin scans it or reads it.")
        case .deviceSignedTwoDifferentChanges:
            (
                "设备 {1} 在序号 {2} 签了两份不同的变更（{3} 与 {4}）：两份都已保留作证据，请区县管理员用 baoxue admin uphold 裁决。",
                "device {1} signed two different changes at seq {2} ({3} and {4}): both kept as proof; a district admin"
                    + " rules with baoxue admin uphold."
            )
        case .missingFromDeviceInSince:
            (
                "设备 {1} 在 {2} 自序号 {3} 起缺失变更（其后 {4} 条在等待）：请与其他设备或中继再同步。",
                "missing from device {1} in {2} since seq {3} ({4} waiting behind it): sync with other devices or the" + " relay."
            )
        case .revokedDeviceChangesDatedBefore:
            (
                "已吊销设备 {1} 有 {2} 条变更标注在吊销之前，但吊销前没有任何中继见证（时钟可能被调早）：请逐条复核（baoxue audit）。",
                "revoked device {1}: {2} change(s) dated before the revocation were not witnessed by any relay before"
                    + " it (its clock may have been set back); review each (baoxue audit)."
            )
        case .changesQuarantinedRunBaoxueQuarantine:
            (
                "{1} 条变更被隔离，运行 baoxue quarantine 查看原因。",
                "{1} change(s) quarantined; run baoxue quarantine for the reasons."
            )
        case .noAlerts: ("没有需要处理的警报。", "no alerts.")
        case .attachmentWrittenToBytesIt:
            (
                "已导出附件 {1}… 到 {2}（{3} 字节）。文件含未成年人信息，用后请删除。",
                "attachment {1}… written to {2} ({3} bytes). It holds a minor's information: delete it after use."
            )
        case .unenrolledDevice: ("未登记设备 {1}", "unenrolled device {1}")
        case .verified: ("签名有效", "verified")
        case .signatureInvalid: ("签名无效！", "SIGNATURE INVALID!")
        case .notWitnessedByRelay: ("无中继见证", "not witnessed by a relay")
        case .witnessedBy: ("见证：", "witnessed by ")
        case .validUntil: ("，有效至 {1}", ", valid until {1}")
        case .createdReplica: ("已创建副本：{1}", "created replica: {1}")
        case .deviceFingerprint: ("设备指纹：{1}", "device fingerprint: {1}")
        case .publicKey: ("公钥：{1}", "public key: {1}")
        case .replicaFolder: ("副本目录：{1}", "replica folder: {1}")
        case .changesWaitingForDepsHeld: ("变更：共 {1} 条（待补依赖 {2}，冲突扣留 {3}）", "changes: {1} (waiting for deps {2}, held for equivocation {3})")
        case .readFingerprintToTownshipOffice:
            (
                "请把设备指纹念给教育办核对，用于设备登记。",
                "Read the fingerprint to the township office to compare when enrolling this device."
            )
        case .applied: ("已应用", "applied")
        case .pending: ("待补依赖", "pending")
        case .quarantined: ("隔离待证", "quarantined")
        case .held: ("冲突扣留", "held")
        case .signatureOk: ("签名有效", "signature ok")
        case .encrypted: ("[加密] ", "[encrypted] ")
        case .noKeyHereDeclares: ("本机无密钥，声明的操作：{1}", "no key here; declares {1}")
        case .notRecordPayloadBytes: ("非记录内容 {1} 字节", "not a record payload, {1} bytes")
        case .authorHasNoCertificateYet: ("作者尚无证书（证书同步到后会自动复查）", "author has no certificate yet (re-checked when one arrives)")
        case .authorsRoleMayNotDo: ("作者角色无权此操作", "the author's role may not do this")
        case .outsideAuthorsCertificateScopes: ("超出作者证书的范围", "outside the author's certificate scopes")
        case .certificateWasNotValidAt: ("变更时间不在证书有效期内", "the certificate was not valid at the change's time")
        case .selfSignedCertificate: ("证书为自签，不被承认", "self-signed certificate")
        case .unknownIssuerWaitingForIts: ("证书签发者未知（等待其授权证书）", "unknown issuer (waiting for its delegation)")
        case .authorsDeviceWasRevokedBefore: ("作者设备已被吊销，此变更晚于吊销时间", "the author's device was revoked before this change")
        case .clockOverHAheadOf: ("变更时间超前本机 24 小时以上，等本机时间追上后自动复查", "clock over 24 h ahead of this device; re-checked as time passes")
        case .delegationExceedsItsGrant: ("下级授权越权", "a delegation exceeds its grant")
        case .deviceChangesChildren: ("设备 {1}：{2} 条变更，{3} 名儿童", "device {1}: {2} changes, {3} children")
        case .neverSyncedRunBaoxueSync:
            (
                "从未同步。到学校或教育办后运行 baoxue sync。",
                "never synced. Run baoxue sync at school or at the township office."
            )
        case .lastSyncedWithSessions: ("上次与 {1} 同步：{2}（共 {3} 次）", "last synced with {1}: {2} ({3} sessions)")
        case .everythingRecordedHereHasReached: ("本机记录均已送达乡镇中继。", "everything recorded here has reached the township relay.")
        case .ofThisDevicesChangesHave:
            (
                "尚未送达乡镇中继的本机记录：{1} 条（与中继同步后，回执随下一次同步到达）。",
                "{1} of this device's changes have not reached the township relay yet (its receipts arrive with the" + " sync after)."
            )
        case .conflictsToSettleQuarantinedWaiting:
            (
                "待核实冲突 {1} 处，被隔离 {2} 条，等待前序变更 {3} 条。",
                "{1} conflicts to settle, {2} quarantined, {3} waiting for earlier changes."
            )
        case .fileIsNotValidCheck:
            (
                "文件格式不对（{1}）。请确认拿到的是完整的申请或证书文件。",
                "the file is not valid ({1}). Check that it is the complete request or certificate file."
            )
        case .signatureDoesNotVerifyFile:
            (
                "签名不符：文件已被改动或不是本人签发。请重新获取。",
                "the signature does not verify: the file was altered or not issued by who it claims. Obtain it again."
            )
        case .certificateIsSelfSignedAnd:
            (
                "证书是自签的，不被承认。请向教育局申请。",
                "the certificate is self-signed and not accepted. Apply to the education bureau."
            )
        case .issuerFingerprintIsNotThis:
            (
                "签发者（指纹 {1}）不是本区授权机构。请核对授权公钥。",
                "the issuer (fingerprint {1}) is not this district's authority. Check the authority key."
            )
        case .delegationExceedsItsOwnGrant: ("下级授权越权：{1}。", "a delegation exceeds its own grant: {1}.")
        case .certificateIsNotValidAt:
            (
                "证书不在有效期内。请向教育局续期。",
                "the certificate is not valid at that time. Ask the education bureau to renew it."
            )
        case .deviceHasNoCertificateYet: ("设备 {1} 还没有证书。", "device {1} has no certificate yet.")
        case .scopeIsOutsideCertificate: ("范围 {1} 不在证书授权之内。", "scope {1} is outside the certificate.")
        case .deviceWasRevokedItsLater: ("该设备已被吊销，其后的变更不予采信。", "the device was revoked; its later changes are not trusted.")
        case .certificatesInvalid: ("，证书 {1} 份（无效 {2}）", ", {1} certificate(s) ({2} invalid)")
        case .noAuthorityPinnedCertificatesNot: ("，未设定授权机构，证书未核验", ", no authority pinned: certificates not checked")
        case .verifiedChangesFromAuthorsFailed: ("已核验 {1} 条变更、{2} 个作者：签名无效 {3} 条", "verified {1} change(s) from {2} author(s): {3} failed")
        case .failedReSyncFromAnother:
            (
                "无效的变更：{1}。请从其他设备重新同步，并报告教育局。",
                "failed: {1}. Re-sync from another device and report it to the bureau."
            )
        case .authorityPassphrase: ("请输入授权口令：", "authority passphrase: ")
        case .authorityKeyCreated: ("授权密钥已生成：{1}/{2}", "authority key created: {1}/{2}")
        case .authorityPublicKey: ("授权公钥：{1}", "authority public key: {1}")
        case .authorityFingerprint: ("授权指纹：{1}", "authority fingerprint: {1}")
        case .signed: ("已签发", "signed")
        case .requestWritten: ("已生成申请", "request written")
        case .handFileToEducationBureau:
            (
                "请把申请文件交给教育局，并电话告知设备指纹 {1} 供核对。",
                "Hand the file to the education bureau and read them the fingerprint {1} by phone."
            )
        case .certificateValidAndKept: ("证书有效，已保存", "certificate valid and kept")
        case .revocationWritten: ("已生成吊销文件：{1}", "revocation written: {1}")
        case .publishedAndInEffectIt: ("已发布并生效，将随同步传到其他设备。", "published and in effect; it travels with every sync.")
        case .recordedButNotInEffect:
            (
                "已记录，但未生效（被隔离）。运行 baoxue quarantine 查看原因。",
                "recorded but not in effect (quarantined); run baoxue quarantine."
            )
        case .rotatedKeyOfRevokedDevice:
            (
                "已为 {1} 换新密钥：被吊销的设备读不到此后写入的记录。",
                "rotated the key of {1}: the revoked device cannot read what is written from now on."
            )
        case .rulingSignedAndInEffect: ("裁决已签发并生效，将随同步传到其他设备。", "ruling signed and in effect; it travels with every sync.")
        case .rulingRecordedButNotIn:
            (
                "裁决已记录，但未生效（被隔离）。运行 baoxue quarantine 查看原因。",
                "ruling recorded but not in effect (quarantined); run baoxue quarantine."
            )
        case .quarantinedChanges: ("共 {1} 条被隔离", "{1} quarantined change(s)")
        case .verifying: ("核验中 {1}/{2}\n", "verifying {1}/{2}\n")
        case .entries: ("共 {1} 项", "{1} entr(ies)")
        case .certificateOf: ("证书：{1}，{2}，范围 {3}", "certificate: {1}, {2}, scopes {3}")
        case .roleMayNot: ("角色“{1}”无权{2}。", "the role {1} may not {2}.")
        }
    }
}

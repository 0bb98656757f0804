/// Enrollment through the relay's desk: the new device's side (`enroll request --relay`, its first sync)
/// and the admin's console page of requests.
///
/// One entry per message, Chinese first; `{1}`…`{n}` stand for the arguments of `Language.say` in order.
/// `MessageCatalogTests` checks that both languages are present and use the same placeholders.
public enum EnrollmentMessages: String, Message {
    case requestWaiting, approvedAndKept, requestRejected, requestLeftAtRelay, noDelegation, deskNotAdmin, deskNoSuchRequest,
        deskOutsideScopes, deskCertificateRefused, deskNotThisKey, deskRefusedOther, desksFull, waitingBeforeSync, rejectedBeforeSync,
        requestsTitle, requestsLink, requestsExplain, noRequests, requestReceived, approveButton, rejectButton, rejectReasonLabel,
        validDaysLabel, approvedNotice, rejectedNotice, noRelayConfigured, cannotApproveHere, compareFingerprint, noRegistryKey

    public var text: (zh: String, en: String) {
        switch self {
        case .requestWaiting:
            (
                "申请正在等待管理员审批。请把本机指纹 {1} 念给管理员核对；批准后再同步一次即可领取证书。",
                "the request is waiting for an admin's approval. Read this device's fingerprint {1} to the admin; once approved, "
                    + "sync once more to collect the certificate."
            )
        case .approvedAndKept: ("已批准，证书已保存", "approved, certificate kept")
        case .requestRejected:
            (
                "管理员没有批准这份申请：{1}。如有误，请联系管理员后重新申请。",
                "an admin rejected the request: {1}. If this is a mistake, talk to the admin and ask again."
            )
        case .requestLeftAtRelay: ("申请已送到中继 {1}。", "the request was left at the relay {1}.")
        case .noDelegation:
            (
                "本机没有签发证书的授权，不能批准申请。请用持有乡镇授权的管理员设备批准，或由教育局签发证书。",
                "this device holds no delegation to issue certificates, so it cannot approve. Approve on the admin device that holds "
                    + "the township's delegation, or have the bureau sign the certificate."
            )
        case .deskNotAdmin:
            ("只有学校或区县管理员可以查看和审批入网申请。", "only a school or district admin may see and decide enrollment requests.")
        case .deskNoSuchRequest:
            (
                "这份申请已不在等待中（可能已由其他管理员处理，或已过期）。请刷新后再看。",
                "that request is no longer waiting (another admin may have decided it, or it expired). Reload and look again."
            )
        case .deskOutsideScopes:
            (
                "这份申请要的范围超出了您的管辖范围，请由上级管理员审批。",
                "the request asks for scopes outside yours; an admin above you must decide it."
            )
        case .deskCertificateRefused:
            (
                "中继没有接受这张证书（{1}）。请确认本机的授权仍有效、覆盖申请的范围。",
                "the relay refused the certificate ({1}). Check that this device's delegation is still valid and covers the scopes asked."
            )
        case .deskNotThisKey:
            ("这份申请不是本机生成的。请在本机重新生成申请。", "the request was not made on this device. Make the request again on this device.")
        case .deskRefusedOther: ("中继拒绝了这个请求（{1}）。", "the relay refused the request ({1}).")
        case .desksFull:
            (
                "中继暂时收不下更多入网申请（{1}）。请过几分钟再试。",
                "the relay cannot take more enrollment requests now ({1}). Try again in a few minutes."
            )
        case .waitingBeforeSync:
            (
                "本机还没有证书：申请仍在等待管理员审批（指纹 {1}）。批准后再同步。",
                "this device has no certificate yet: its request is waiting for an admin's approval (fingerprint {1}). "
                    + "Sync again once approved."
            )
        case .rejectedBeforeSync:
            (
                "本机的入网申请没有被批准：{1}。请联系管理员，再用 baoxue enroll request 重新申请。",
                "this device's enrollment request was rejected: {1}. Talk to the admin, then ask again with baoxue enroll request."
            )
        case .requestsTitle: ("入网申请", "Enrollment requests")
        case .requestsLink: ("入网申请（待审批）", "Enrollment requests (waiting)")
        case .requestsExplain:
            (
                "新设备在中继留下的申请，只列出您管辖范围内的。批准前，请与对方手机屏幕上的指纹逐字核对。",
                "Requests new devices left at the relay, those within your scopes only. Before approving, compare the fingerprint "
                    + "with the one on the phone's screen, character by character."
            )
        case .noRequests: ("没有等待审批的申请。", "No request is waiting.")
        case .requestReceived: ("收到于 {1}", "received {1}")
        case .approveButton: ("指纹一致，批准 {1}", "Fingerprint matches: approve {1}")
        case .rejectButton: ("拒绝 {1}", "Reject {1}")
        case .rejectReasonLabel: ("拒绝原因（对方会看到）", "Reason for rejecting (the device is told)")
        case .validDaysLabel: ("证书有效天数（1 至 3660，不超过本机授权）", "Days the certificate is valid (1 to 3660, within this device's delegation)")
        case .approvedNotice:
            ("已批准 {1}。对方下次同步时领取证书。", "{1} approved. The device collects its certificate at its next sync.")
        case .rejectedNotice: ("已拒绝 {1}。对方下次同步时会看到原因。", "{1} rejected. The device is told the reason at its next sync.")
        case .noRelayConfigured:
            (
                "本机没有设置中继地址，无法查看申请。请用 baoxue ui --relay 地址 启动。",
                "no relay address is set, so requests cannot be fetched. Start with baoxue ui --relay ADDRESS."
            )
        case .cannotApproveHere:
            (
                "本机没有签发证书的授权：可以拒绝，批准请用持有乡镇授权的设备。",
                "this device holds no delegation: it can reject, but approving needs the device with the township's delegation."
            )
        case .compareFingerprint: ("指纹", "Fingerprint")
        case .noRegistryKey:
            (
                "本机没有区县的学籍密钥，批准后新设备将无法与区内其他设备对上学生编号。请在持有区县证书文件的管理员设备上批准。",
                "this device does not hold the district's registry key, so a device approved here could not match children's ids "
                    + "with the district. Approve on an admin device enrolled with the district's certificate file."
            )
        }
    }
}

import BaoxueTrust

/// What each `Operation` is called where a person reads it (a role's refusal, a certificate's rights).
///
/// One case per operation, named as the operation is; `MessageCatalogTests` checks none is missing.
public enum OperationNames: String, Message {
    case editRecord, recordVisit, recordSchoolEvent, recordPersuasion, issueLetter, voidRecord, closeOut, administer, witness, grantKeys,
        publishFigures

    public var text: (zh: String, en: String) {
        switch self {
        case .editRecord: ("修改儿童、家庭、案卷或摸排记录", "edit a record")
        case .recordVisit: ("记录家访、入户摸排或返校跟踪", "record a visit, household check or follow-up")
        case .recordSchoolEvent: ("记录缺课、请假或送教上门", "record an absence, leave or home-teaching session")
        case .recordPersuasion: ("记录劝返", "record a persuasion attempt")
        case .issueLetter: ("发核查函", "issue a verification letter")
        case .voidRecord: ("作废误录的记录", "void a record entered by mistake")
        case .closeOut: ("台账销号", "close out a ledger entry")
        case .administer: ("裁决、登记或吊销设备", "rule, certify or revoke devices")
        case .witness: ("为中继先存的变更会签回执", "countersign receipts")
        case .grantKeys: ("分发或轮换学校密钥", "grant or rotate school keys")
        case .publishFigures: ("上报学校月度汇总数", "publish a school's monthly figures")
        }
    }
}

extension Language {
    /// What `operation` is called in this language.
    public func label(_ operation: Operation) -> String {
        OperationNames(rawValue: operation.rawValue).map { say($0) } ?? operation.rawValue
    }
}

/// A value with a Chinese label for people and a stable English code for storage.
public protocol Labelled: RawRepresentable, CaseIterable, Codable, Sendable, Hashable where RawValue == String {
    var chinese: String { get }
}

/// 在校状态: where a child stands. A status is a fact with a date, an author and a reason.
public enum ChildStatus: String, Labelled {
    case enrolled, suspectedDropout, dropout, neverEnrolled, returned
    case transferredIn, transferredOut, suspended, deferred, homeTeaching, verifiedElsewhere
    /// No longer of the ledgers' concern: died, emigrated abroad, past compulsory age, finished
    /// grade 9, or found not to be of school age. They leave the count of school-age children.
    case deceased, emigrated, overAge, graduated, notOfSchoolAge

    public var chinese: String {
        switch self {
        case .enrolled: "在校"
        case .suspectedDropout: "疑似辍学"
        case .dropout: "辍学"
        case .neverEnrolled: "失学"
        case .returned: "劝返复学"
        case .transferredIn: "转入"
        case .transferredOut: "转出"
        case .suspended: "休学"
        case .deferred: "延缓入学"
        case .homeTeaching: "送教上门"
        case .verifiedElsewhere: "异地就读核实"
        case .deceased: "死亡"
        case .emigrated: "出国（境）"
        case .overAge: "超龄"
        case .graduated: "毕业"
        case .notOfSchoolAge: "非适龄"
        }
    }

    /// The child has left compulsory education for good (not a ledger matter, not counted as school-age).
    public var leftCompulsoryEducation: Bool {
        switch self {
        case .deceased, .emigrated, .overAge, .graduated, .notOfSchoolAge: true
        default: false
        }
    }

    /// The ledger (三本台账 beyond the first) this status puts a child on, if any.
    public var ledger: Ledger? {
        switch self {
        case .suspectedDropout, .neverEnrolled: .suspectedDropout
        case .dropout: .dropout
        default: nil
        }
    }
}

/// The ledgers that entries leave only by close-out (销号) with evidence.
public enum Ledger: String, Labelled {
    case suspectedDropout, dropout

    public var chinese: String {
        switch self {
        case .suspectedDropout: "疑似辍学/失学台账"
        case .dropout: "辍学台账"
        }
    }
}

/// 重点群体: focus-group flags, kept as an add-wins set on the child.
public enum FocusGroup: String, Labelled {
    case poverty, leftBehind, disabled, migrant, orphan, unsupported, legalCase, learningDifficulty, keyGrade

    public var chinese: String {
        switch self {
        case .poverty: "家庭困难"
        case .leftBehind: "留守儿童"
        case .disabled: "残疾儿童"
        case .migrant: "随迁子女"
        case .orphan: "孤儿"
        case .unsupported: "事实无人抚养"
        case .legalCase: "涉案未成年人"
        case .learningDifficulty: "学习困难"
        case .keyGrade: "重点学段"
        }
    }
}

/// 辍学原因: reason category of a persuasion-to-return case ("other" comes with text).
public enum ReasonCategory: String, Labelled {
    case dislikesSchool, learningDifficulty, poverty, illnessOrDisability, work, earlyMarriage
    case noGuardian, movedWithParents, other

    public var chinese: String {
        switch self {
        case .dislikesSchool: "厌学"
        case .learningDifficulty: "学习困难"
        case .poverty: "家庭经济困难"
        case .illnessOrDisability: "因病/残疾"
        case .work: "外出务工"
        case .earlyMarriage: "早婚"
        case .noGuardian: "监护缺失"
        case .movedWithParents: "随父母流动"
        case .other: "其他"
        }
    }
}

/// 分类安置: where a returned child is placed.
public enum Placement: String, Labelled {
    case regularClass, specialClass, vocational, homeTeaching

    public var chinese: String {
        switch self {
        case .regularClass: "随班就读"
        case .specialClass: "特教班"
        case .vocational: "职业教育"
        case .homeTeaching: "送教上门"
        }
    }
}

/// 七长责任制 and others: the roles of people responsible for a case.
public enum ResponsibleRole: String, Labelled {
    case countyHead, townshipHead, villageHead, principal, teacher, parent, other

    public var chinese: String {
        switch self {
        case .countyHead: "县长"
        case .townshipHead: "乡镇长"
        case .villageHead: "村长"
        case .principal: "校长"
        case .teacher: "教师"
        case .parent: "家长"
        case .other: "其他"
        }
    }
}

/// The kinds of record whose fields are registers.
public enum RecordKind: String, Labelled {
    case child, household, caseFile, survey

    public var chinese: String {
        switch self {
        case .child: "儿童"
        case .household: "家庭户"
        case .caseFile: "劝返案卷"
        case .survey: "摸排"
        }
    }
}

public enum Gender: String, Labelled {
    case male, female

    public var chinese: String { self == .male ? "男" : "女" }
}

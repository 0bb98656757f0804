import BaoxueCore
import BaoxueRecords
import Foundation

/// A realistic synthetic district, the same for the same seed: schools,
/// villages, children with Chinese names, real-format resident ID numbers
/// (valid GB 11643 check characters), guardians, statuses and focus groups,
/// and a stream of field events. Feeds tests, benchmarks, the demo and the
/// simulator; holds no real person's data.
///
/// Proportions: schools and the primary/junior split follow the Tong'an
/// report (96 schools: 73 primary, 23 junior; 85,544 primary and 33,459
/// junior pupils; a special school with 215). The focus-group shares are
/// not in the notices and are assumptions written below.
public struct SyntheticDistrict: Sendable {
    public struct School: Sendable, Equatable {
        public let name: String
        public let junior: Bool
    }

    public let seed: UInt64
    public let childCount: Int
    public let schools: [School]
    public let villages: [String]
    /// Region code of the ID numbers (130207 = 丰南区).
    public let regionCode = "130207"

    /// (group, share of children) — assumptions, see the type's comment.
    public static let focusShares: [(FocusGroup, Double)] = [
        (.migrant, 0.20), (.leftBehind, 0.04), (.poverty, 0.03), (.learningDifficulty, 0.02),
        (.disabled, 0.005), (.unsupported, 0.002), (.orphan, 0.001), (.legalCase, 0.0005),
    ]
    static let surnames = Array("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
    static let given = Array(
        "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦"
            + "黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳"
    )

    public init(seed: UInt64, children: Int, schools schoolCount: Int = 96) {
        self.seed = seed
        self.childCount = children
        let juniorCount = max(1, schoolCount * 23 / 96)
        schools = (0..<schoolCount).map { i in
            i < schoolCount - juniorCount
                ? School(name: "示例第\(i + 1)小学", junior: false)
                : School(name: "示例第\(i + 1 - (schoolCount - juniorCount))中学", junior: true)
        }
        villages = (0..<max(10, schoolCount * 3)).map { "示例村\($0 + 1)" }
    }

    public func child(_ i: Int) -> RecordID { RecordID.derived("district-\(seed)-child-\(i)") }

    /// The ops that create child `i`, dated `today`.
    public func childOps(_ i: Int, today: SimpleDate) -> [RecordOp] {
        var rng = SeededGenerator(seed: seed &* 1_000_003 &+ UInt64(i))
        let id = child(i)
        let junior = rng.unit() < 33_459.0 / 119_003.0
        let pool = schools.filter { $0.junior == junior }
        let school = (pool.isEmpty ? schools : pool)[Int(rng.next() % UInt64(pool.isEmpty ? schools.count : pool.count))]
        let grade = junior ? 7 + Int(rng.next() % 3) : 1 + Int(rng.next() % 6)
        let birthYear = today.year - 6 - grade + (today.month >= 9 ? 1 : 0) - 1
        let birth = (try? SimpleDate(year: birthYear, month: 1 + Int(rng.next() % 12), day: 1 + Int(rng.next() % 28)))!
        let male = rng.next() % 2 == 0
        let name =
            String(Self.surnames[Int(rng.next() % UInt64(Self.surnames.count))])
            + String((0..<(1 + Int(rng.next() % 2))).map { _ in Self.given[Int(rng.next() % UInt64(Self.given.count))] })
        let seq = 100 + Int(rng.next() % 800)
        let digits17 =
            regionCode + birth.description.replacingOccurrences(of: "-", with: "")
            + String(seq / 10) + String(male ? (seq % 5) * 2 + 1 : (seq % 5) * 2)
        let idNumber = digits17 + String(ResidentID.checkCharacter(for: digits17))
        let phone = "13" + nineDigits(rng.next() % 1_000_000_000)
        let village = villages[Int(rng.next() % UInt64(villages.count))]
        let roll = rng.unit()
        let status: ChildStatus =
            roll < 0.0015
            ? .suspectedDropout
            : roll < 0.002
                ? .dropout
                : roll < 0.030 ? .transferredIn : roll < 0.0322 ? .homeTeaching : .enrolled
        func set(_ f: String, _ v: FieldValue) -> RecordOp { .set(kind: .child, record: id, field: f, value: v, pred: []) }
        var ops: [RecordOp] = [
            set("name", .text(name)), set("gender", .text(male ? "male" : "female")), set("birthDate", .date(birth)),
            set("idNumber", .text(idNumber)), set("school", .text(school.name)), set("grade", .number(grade)),
            set("className", .text("\(grade)年级\(1 + Int(rng.next() % 6))班")), set("village", .text(village)),
            set("guardianName", .text(String(name.prefix(1)) + "某某")), set("guardianPhone", .text(phone)),
            set("status", .status(StatusFact(status: status, date: today, reason: "学期初核查"))),
        ]
        for (group, share) in Self.focusShares where rng.unit() < share {
            ops.append(.add(kind: .child, record: id, set: "focus", element: group.rawValue))
        }
        if grade >= 8 { ops.append(.add(kind: .child, record: id, set: "focus", element: FocusGroup.keyGrade.rawValue)) }
        return ops
    }

    /// Event `j`: a visit, absence, leave or home-teaching session about some child, dated within 120 days before `today`.
    public func eventOp(_ j: Int, today: SimpleDate) -> RecordOp {
        var rng = SeededGenerator(seed: seed &* 7_919 &+ UInt64(j) &+ 0x5eed)
        let childIndex = Int(rng.next() % UInt64(childCount))
        let date = (try? today.adding(days: -Int(rng.next() % 120)))!
        let body: EventBody
        switch rng.next() % 10 {
        case 0...3:
            body = .visit(
                Visit(
                    participants: ["班主任", "村联络员"], householdFound: true, childSeen: rng.next() % 4 != 0,
                    spokeTo: "家长", agreed: "按时到校", nextContact: try? date.adding(days: 14)))
        case 4...6:
            // Mostly one-day absences, mostly excused; 3+ unexcused days (a ledger entry) are rare.
            let roll = rng.next() % 100
            let days = roll < 80 ? 1 : roll < 95 ? 2 : 3 + Int(rng.next() % 3)
            body = .absence(Absence(from: date, to: (try? date.adding(days: days - 1))!, schoolDays: days, excused: rng.next() % 100 < 85))
        case 7:
            body = .leave(Leave(from: date, to: (try? date.adding(days: Int(rng.next() % 14)))!, reason: "病假", approvedBy: "班主任"))
        default:
            body = .homeTeaching(HomeTeachingSession(classHours: 2, teacher: "送教教师", content: "生活适应"))
        }
        return .event(Event(child: child(childIndex), date: date, body: body))
    }
}

extension SeededGenerator {
    /// A uniform double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// Nine decimal digits with leading zeros.
func nineDigits(_ v: UInt64) -> String {
    let s = String(v)
    return String(repeating: "0", count: max(0, 9 - s.count)) + s
}

import BaoxueCore
import BaoxueRecords
import BaoxueSynthetic
import Testing

@Suite struct SyntheticDistrictTests {
    let today = try! SimpleDate("2025-11-20")

    @Test func everyGeneratedOpIsValidAndIDNumbersCheck() throws {
        let d = SyntheticDistrict(seed: 7, children: 2_000)
        var focus: [String: Int] = [:]
        var juniors = 0
        for i in 0..<2_000 {
            let ops = d.childOps(i, today: today)
            for op in ops {
                try op.validate()
                if case .set(_, _, "idNumber", .text(let t), _) = op {
                    let id = try ResidentID(t)
                    #expect(t.hasPrefix("130207"))
                    if case .set(_, _, "birthDate", .date(let b), _)? = ops.first(where: {
                        if case .set(_, _, "birthDate", _, _) = $0 { true } else { false }
                    }) {
                        #expect(id.birthDate == b)
                    }
                }
                if case .set(_, _, "grade", .number(let g), _) = op, g >= 7 { juniors += 1 }
                if case .add(_, _, "focus", let e) = op { focus[e, default: 0] += 1 }
            }
        }
        // Shares near the configured ones (2,000 children: loose bounds).
        #expect((300...500).contains(focus["migrant"] ?? 0))
        #expect((40...130).contains(focus["leftBehind"] ?? 0))
        #expect((450...680).contains(juniors), "Tong'an: 28% junior")
        for j in 0..<2_000 { try d.eventOp(j, today: today).validate() }
    }

    @Test func sameSeedSameDistrict() {
        let a = SyntheticDistrict(seed: 3, children: 100)
        let b = SyntheticDistrict(seed: 3, children: 100)
        #expect(a.childOps(42, today: today) == b.childOps(42, today: today))
        #expect(a.eventOp(9, today: today) == b.eventOp(9, today: today))
        #expect(SyntheticDistrict(seed: 4, children: 100).childOps(42, today: today) != a.childOps(42, today: today))
        #expect(a.schools.filter(\.junior).count == 23)
    }
}

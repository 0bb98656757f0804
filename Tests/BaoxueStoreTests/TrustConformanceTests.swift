import BaoxueCore
import BaoxueLog
import BaoxueTesting
import Testing

/// A replica's own append on SQLite (views, keys, heads around the same gate and rules) ends every
/// trust conformance scenario in the states and reasons the pure engine reaches over memory.
@Suite struct TrustConformanceTests {
    @Test(arguments: try TrustConformance.scenarios())
    func sqliteEndsAsMemory(_ scenario: TrustConformance.Scenario) throws {
        let reference = try TrustConformance.run(scenario)
        #expect(reference == scenario.expected, "\(scenario.name), memory: \(reference)")
        let outcome = try TrustConformance.runOnSQLite(scenario)
        #expect(outcome == reference, "\(scenario.name), SQLite: \(outcome)")
    }
}

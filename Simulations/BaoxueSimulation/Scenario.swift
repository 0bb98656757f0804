import Foundation

/// A county to simulate: its size, how often people write, and how often
/// they reach each other and the township relay. Loaded from JSON
/// (`Simulations/scenarios/*.json`) or one of the built-in ones.
public struct Scenario: Sendable, Codable, Equatable {
    public var name: String
    public var schools: Int
    public var teachersPerSchool: Int
    public var childrenPerSchool: Int
    public var days: Int
    /// Chance that a teacher records something in a given school hour (8:00–17:00).
    public var writesPerHour: Double
    /// Chance that two colleagues sync at lunch on school Wi-Fi, per school and day.
    public var lunchSync: Double
    /// Chance that a device reaches the township relay in the evening (over a 2G link).
    public var relayEvening: Double
    /// Chance that such a relay sync is cut part-way.
    public var cutChance: Double

    public init(name: String, schools: Int, teachersPerSchool: Int, childrenPerSchool: Int, days: Int,
                writesPerHour: Double, lunchSync: Double, relayEvening: Double, cutChance: Double) {
        self.name = name
        self.schools = schools
        self.teachersPerSchool = teachersPerSchool
        self.childrenPerSchool = childrenPerSchool
        self.days = days
        self.writesPerHour = writesPerHour
        self.lunchSync = lunchSync
        self.relayEvening = relayEvening
        self.cutChance = cutChance
    }

    /// Two schools of three teachers for ten school days: what CI sweeps over many seeds.
    public static let small = Scenario(name: "small", schools: 2, teachersPerSchool: 3, childrenPerSchool: 8, days: 10,
                                       writesPerHour: 0.15, lunchSync: 0.6, relayEvening: 0.3, cutChance: 0.3)
}

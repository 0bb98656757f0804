// swift-tools-version:6.1
import PackageDescription

/// Layers, dependencies pointing one way only:
/// CSodium (C) → BaoxueSodium → BaoxueCore, BaoxueRecords, BaoxueNoise, BaoxueSync, BaoxueLog (pure)
/// → BaoxueStore (SQLite), BaoxuePostgres (the log on PostgreSQL, for a relay cluster)
/// → BaoxueTransport (sessions over a store, simulated link)
/// → BaoxueTCP (SwiftNIO) → BaoxueRelay (always-on relay: limits, receipts, upstream, metrics)
/// → BaoxueApp → executables. BaoxueSynthetic (a made-up district for the demo, benchmarks and tests) sits beside
/// the domain, outside it.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "Baoxue",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "baoxue", targets: ["baoxue"]),
        .library(name: "BaoxueCore", targets: ["BaoxueCore"]),
        .library(name: "BaoxueStore", targets: ["BaoxueStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .systemLibrary(
            name: "CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        .systemLibrary(
            name: "CQrencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        .systemLibrary(
            name: "CZxcvbn",
            providers: [.apt(["libzxcvbn-dev"])]
        ),
        .target(
            name: "BaoxueSodium",
            dependencies: [
                "CSodium"
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueCore",
            dependencies: [
                "BaoxueSodium"
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueRecords",
            dependencies: [
                "BaoxueCore", "BaoxueSodium",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueSynthetic",
            dependencies: [
                "BaoxueCore", "BaoxueRecords",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueNoise",
            dependencies: [
                "BaoxueSodium"
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueTrust",
            dependencies: [
                "BaoxueCore", "BaoxueRecords", "BaoxueSodium",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxuePrivacy",
            dependencies: [
                "BaoxueCore", "BaoxueRecords", "BaoxueSodium", "BaoxueTrust",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueSync",
            dependencies: [
                "BaoxueCore", "BaoxueNoise", "BaoxueSodium",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueLog",
            dependencies: [
                "BaoxueCore", "BaoxuePrivacy", "BaoxueRecords", "BaoxueTrust",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueStore",
            dependencies: [
                "CZxcvbn",
                "BaoxueCore", "BaoxueLog", "BaoxueRecords", "BaoxuePrivacy", "BaoxueSodium", "BaoxueTrust",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxuePostgres",
            dependencies: [
                "BaoxueCore", "BaoxueLog", "BaoxueRecords", "BaoxueTrust",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueTransport",
            dependencies: [
                "BaoxueCore", "BaoxueSync", "BaoxueStore",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueTCP",
            dependencies: [
                "BaoxueCore", "BaoxueSync", "BaoxueTransport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueRelay",
            dependencies: [
                "BaoxueCore", "BaoxueLog", "BaoxuePostgres", "BaoxueStore", "BaoxueSync", "BaoxueTransport", "BaoxueTCP", "BaoxueTrust",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueApp",
            dependencies: [
                "BaoxueCore", "BaoxueLog", "BaoxuePrivacy", "BaoxueRecords", "BaoxueSodium", "BaoxueStore", "BaoxueSynthetic",
                "BaoxueTrust", "BaoxueSync", "BaoxueTransport", "BaoxueTCP", "BaoxueRelay", "BaoxuePostgres", "CQrencode", "CXlsxWriter",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueWeb",
            dependencies: [
                "BaoxueApp", "BaoxueCore", "BaoxueRecords", "BaoxueRelay", "BaoxueStore", "BaoxueSodium", "BaoxueTrust",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "baoxue",
            dependencies: [
                "BaoxueApp", "BaoxueRecords", "BaoxueRelay", "BaoxueTrust", "BaoxueWeb",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "baoxue-bench",
            dependencies: [
                "BaoxueCore", "BaoxueNoise", "BaoxueRecords", "BaoxueStore", "BaoxueSodium", "BaoxueSync", "BaoxueSynthetic",
                "BaoxueTransport", "BaoxueTCP", "BaoxueTrust", "BaoxueTesting", "BaoxueApp", "BaoxueWeb", "BaoxueLog", "BaoxuePostgres",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "baoxue-dev",
            dependencies: [
                "BaoxueCore", "BaoxuePrivacy", "BaoxueRecords", "BaoxueSodium", "BaoxueStore", "BaoxueSync", "BaoxueTransport",
                "BaoxueTrust",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueSimulation",
            dependencies: [
                "BaoxueCore", "BaoxuePrivacy", "BaoxueRecords", "BaoxueSodium", "BaoxueStore", "BaoxueSync", "BaoxueTransport",
                "BaoxueTesting", "BaoxueTrust",
            ],
            path: "Simulations/BaoxueSimulation",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "baoxue-sim",
            dependencies: [
                "BaoxueSimulation", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Simulations/baoxue-sim",
            swiftSettings: strict
        ),
        .target(
            name: "BaoxueTesting",
            dependencies: [
                "BaoxueCore", "BaoxueLog", "BaoxuePrivacy", "BaoxueRecords", "BaoxueSodium", "BaoxueStore", "BaoxueTrust",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueLogTests",
            dependencies: [
                "BaoxueCore", "BaoxueLog", "BaoxueRecords", "BaoxueTesting",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxuePostgresTests",
            dependencies: [
                "BaoxueCore", "BaoxueLog", "BaoxuePostgres", "BaoxueStore", "BaoxueTesting", "BaoxueTrust",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueNoiseTests",
            dependencies: [
                "BaoxueNoise", "BaoxueSodium", "BaoxueCore", "BaoxueTesting",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueRecordsTests",
            dependencies: [
                "BaoxueCore", "BaoxueRecords", "BaoxueTesting",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueSyntheticTests",
            dependencies: [
                "BaoxueCore", "BaoxueRecords", "BaoxueSynthetic",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxuePrivacyTests",
            dependencies: [
                "BaoxuePrivacy", "BaoxueRecords", "BaoxueTrust", "BaoxueCore", "BaoxueSodium", "BaoxueTesting",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueSodiumTests",
            dependencies: [
                "BaoxueSodium", "BaoxueTesting",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueCoreTests",
            dependencies: [
                "BaoxueCore", "BaoxueTesting",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueStoreTests",
            dependencies: [
                "BaoxueCore", "BaoxueLog", "BaoxueStore", "BaoxuePrivacy", "BaoxueRecords", "BaoxueTrust", "BaoxueTesting",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueTrustTests",
            dependencies: [
                "BaoxueTrust", "BaoxueRecords", "BaoxueCore", "BaoxueSodium", "BaoxueTesting",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueSyncTests",
            dependencies: [
                "BaoxueSync", "BaoxueCore", "BaoxueTesting",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueTransportTests",
            dependencies: [
                "BaoxueCore", "BaoxueTransport", "BaoxueTCP", "BaoxueSync", "BaoxueStore", "BaoxuePrivacy", "BaoxueRecords",
                "BaoxueTrust", "BaoxueTesting", "BaoxueSynthetic", "BaoxueSodium", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueRelayTests",
            dependencies: [
                "BaoxueRelay", "BaoxueApp", "BaoxuePostgres", "BaoxueStore", "BaoxueTrust", "BaoxuePrivacy", "BaoxueCore", "BaoxueRecords",
                "BaoxueSync",
                "BaoxueSynthetic", "BaoxueTCP", "BaoxueTransport", "BaoxueTesting",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueSimulationTests",
            dependencies: [
                "BaoxueSimulation"
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueWebTests",
            dependencies: [
                "BaoxueWeb", "BaoxueApp", "BaoxueStore", "BaoxueCore", "BaoxueRecords", "BaoxueTesting",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BaoxueAppTests",
            dependencies: [
                "BaoxueApp", "BaoxueStore", "BaoxueCore", "BaoxueRecords", "BaoxuePrivacy", "BaoxueSync", "BaoxueTrust",
                "BaoxueTesting",
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)

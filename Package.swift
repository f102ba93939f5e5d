// swift-tools-version: 6.1
import PackageDescription

// Layering (see README "Architecture"): dxmap (CLI) → DXReport → DXEngine →
// DXScenario → DXSampling → CGSL, and DXSensitivity (model-free sensitivity
// and scenario-discovery methods) → DXSampling. Only DXSampling imports CGSL;
// only DXReport's SQLite store imports CSQLite.
let package = Package(
    name: "dxmap",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dxmap", targets: ["dxmap"]),
        .library(name: "DXMap", targets: ["DXSampling", "DXSensitivity", "DXScenario", "DXEngine", "DXReport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .target(name: "DXSampling", dependencies: ["CGSL"]),
        .target(name: "DXSensitivity", dependencies: ["DXSampling"]),
        .target(name: "DXScenario", dependencies: ["DXSampling", .product(name: "Yams", package: "Yams")]),
        .target(name: "DXEngine", dependencies: ["DXScenario", "DXSampling"]),
        .target(name: "DXReport", dependencies: ["DXEngine", "DXScenario", "DXSampling", "DXSensitivity", "CSQLite"]),
        .executableTarget(
            name: "dxmap",
            dependencies: ["DXReport", "DXEngine", "DXScenario", "DXSensitivity",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(name: "DXTestSupport", dependencies: ["DXSampling", "DXScenario"], path: "Tests/DXTestSupport"),
        // The loaders' fuzz target (`make fuzz`; see Tests/Fuzz/LoaderFuzzer.swift).
        .executableTarget(name: "dxmap-fuzz", dependencies: ["DXScenario"], path: "Tests/Fuzz", exclude: ["corpus"]),
        .testTarget(name: "DXSamplingTests", dependencies: ["DXSampling", "DXTestSupport"]),
        .testTarget(name: "DXSensitivityTests", dependencies: ["DXSensitivity", "DXSampling", "DXTestSupport"]),
        .testTarget(name: "DXScenarioTests", dependencies: ["DXScenario", "DXTestSupport"]),
        .testTarget(name: "DXEngineTests", dependencies: ["DXEngine", "DXScenario", "DXTestSupport"]),
        .testTarget(name: "DXReportTests", dependencies: ["DXReport", "DXEngine", "DXSensitivity", "DXTestSupport"]),
        .testTarget(name: "DXMapCLITests", dependencies: ["dxmap", "DXReport", "DXTestSupport"]),
    ]
)

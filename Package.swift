// swift-tools-version: 6.1
import PackageDescription

// Layering (docs/architecture.md); every arrow is a declared dependency and an import:
//
//   DXMap         ─► every layer below                                            umbrella for library users: @_exported imports
//   dxmap (CLI)   ─► the layers it uses, imported one by one (a file that reaches a layer only through DXMap's
//                    @_exported import is not recompiled when that layer changes: an incremental release build then
//                    ran with a stale struct layout and crashed)
//   DXReport      ─► DXExperiments, DXEngine, DXAnalysis, DXScenario, DXSampling, DXSupport   rendering: SVG canvas, charts, tables, CSV/JSON
//   DXExperiments ─► DXEngine, DXAnalysis, DXScenario, DXSampling, DXSupport, CSQLite          sweeps and studies: plan, run, store, cluster
//   DXAnalysis    ─► DXSampling                                                   Sobol, Morris, one-at-a-time, PRIM, VOI
//   DXEngine      ─► DXScenario, DXSampling, DXSupport                            Monte Carlo engines and the matrix
//   DXScenario    ─► DXSampling, DXSupport, Yams                                  scenario and sweep files, vocabulary
//   DXSampling    ─► CGSL                                                         GSL sampling, designs, streaming statistics
//   DXSupport     ─► CPOSIX                                                       errors and their categories, output sets
//                                                                                 written atomically, locks, SHA-256, threads
//
// Only DXSampling imports CGSL; only DXExperiments' SQLite store imports CSQLite; only DXSupport's locks import CPOSIX.
let package = Package(
    name: "dxmap",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dxmap", targets: ["dxmap"]),
        .library(name: "DXMap", targets: ["DXMap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // Only for `make docs` (swift package generate-documentation): a command plugin, built when that runs.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
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
        // POSIX calls Swift's Glibc module leaves out (open-file-description locks), for the store's and output sets' locks.
        .systemLibrary(name: "CPOSIX"),
        .target(name: "DXSupport", dependencies: ["CPOSIX"]),
        .target(name: "DXSampling", dependencies: ["CGSL"]),
        .target(name: "DXAnalysis", dependencies: ["DXSampling"]),
        .target(name: "DXScenario", dependencies: ["DXSampling", "DXSupport", .product(name: "Yams", package: "Yams")]),
        .target(name: "DXEngine", dependencies: ["DXScenario", "DXSampling", "DXSupport"]),
        .target(name: "DXExperiments", dependencies: ["DXEngine", "DXAnalysis", "DXScenario", "DXSampling", "DXSupport", "CSQLite"]),
        .target(name: "DXReport", dependencies: ["DXExperiments", "DXEngine", "DXAnalysis", "DXScenario", "DXSampling", "DXSupport"]),
        .target(name: "DXMap", dependencies: ["DXReport", "DXExperiments", "DXEngine", "DXAnalysis", "DXScenario", "DXSampling", "DXSupport"]),
        .executableTarget(
            name: "dxmap",
            dependencies: ["DXReport", "DXExperiments", "DXEngine", "DXAnalysis", "DXScenario", "DXSampling", "DXSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(name: "DXTestSupport", dependencies: ["DXSampling", "DXScenario", "DXAnalysis", "CGSL"], path: "Tests/DXTestSupport"),
        // The loaders' fuzz target (`make fuzz`; see Tests/Fuzz/LoaderFuzzer.swift).
        .executableTarget(name: "dxmap-fuzz", dependencies: ["DXScenario"], path: "Tests/Fuzz", exclude: ["corpus"]),
        .testTarget(name: "DXSamplingTests", dependencies: ["DXSampling", "DXTestSupport"]),
        .testTarget(name: "DXAnalysisTests", dependencies: ["DXAnalysis", "DXSampling", "DXTestSupport"]),
        .testTarget(name: "DXScenarioTests", dependencies: ["DXScenario", "DXSampling", "DXTestSupport"]),
        .testTarget(name: "DXEngineTests", dependencies: ["DXEngine", "DXScenario", "DXSampling", "DXTestSupport"]),
        .testTarget(name: "DXExperimentsTests", dependencies: ["DXExperiments", "DXReport", "DXEngine", "DXScenario", "DXTestSupport"]),
        .testTarget(name: "DXReportTests",
                    dependencies: ["DXMap", "DXReport", "DXExperiments", "DXEngine", "DXAnalysis", "DXScenario", "DXSampling", "DXSupport",
                                   "DXTestSupport"]),
        .testTarget(name: "DXMapCLITests",
                    dependencies: ["dxmap", "DXExperiments", "DXScenario", "DXSupport", "DXTestSupport",
                                   .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                   .product(name: "Yams", package: "Yams")]),
    ]
)

// swift-tools-version: 6.1
import PackageDescription

// dxmap's benchmark suites (package-benchmark). A package of its own so that
// building and testing dxmap never builds the benchmark framework.
// Run from this directory: `swift package benchmark` (or `make bench` from the root).
let package = Package(
    name: "dxmap-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "dxmap", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "DXMapBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DXMap", package: "dxmap"),
            ],
            path: "Benchmarks/DXMapBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // dxmap's Sobol sampler and estimators on reference functions, run beside SALib by `make compare`.
        .executableTarget(
            name: "SobolReference",
            dependencies: [.product(name: "DXMap", package: "dxmap")],
            path: "Reference/SobolReference"
        ),
    ]
)

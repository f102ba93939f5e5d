import Benchmark
import DXMap
import Foundation

/// The repository root, found from this file (benchmarks run from Benchmarks/).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// A generated scenario like Benchmarks/compare.py's: `tasks` tasks in 50 services of 5 organisations, 20 roles.
func generatedScenario(tasks: Int, correlated: Bool) -> Scenario {
    let organisations = (0..<5).map { Organisation(id: "o\($0)") }
    let roles = (0..<20).map { r in
        Role(id: "r\(r)", costPerFTE: 30_000 + 1_000 * Double(r), automation: try! Distribution.beta(mean: 0.1 + 0.04 * Double(r), sd: 0.05))
    }
    let services = (0..<50).map { s in
        Service(id: "s\(s)", organisation: "o\(s % 5)", tasks: (0..<(tasks / 50)).map { k in
            var t = ServiceTask(id: "t\(k)", role: "r\((s + k) % 20)", fte: Double(1 + (s * 31 + k * 17) % 100))
            t.realisation = .uniform(min: 0.5, max: 1)
            t.implementationCost = .lognormal(mu: 10.5, sigma: 0.7)
            t.runningCost = .gamma(shape: 6.25, scale: 800)
            t.adoptionYear = .discrete(values: [1, 2, 3], weights: [0.3, 0.5, 0.2])
            return t
        })
    }
    var scenario = Scenario(name: "generated", organisations: organisations, roles: roles, services: services)
    scenario.discountRate = 0.03
    if correlated { scenario.correlation = Correlation(global: 0.3, role: 0.2) }
    return scenario
}

let benchmarks: @Sendable () -> Void = {
    // Samplers: 1,000 variates per iteration, through the same compiled form the engine uses.
    let families: [(String, Distribution)] = [
        ("uniform", .uniform(min: 0, max: 1)), ("normal", .normal(mean: 0, sd: 1, min: nil, max: nil)),
        ("normal-truncated", .normal(mean: 0.6, sd: 0.2, min: 0, max: 1)), ("lognormal", .lognormal(mu: 10, sigma: 0.7)),
        ("beta", .beta(alpha: 2.5, beta: 4)), ("pert", .pert(min: 0.4, mode: 0.7, max: 0.9, lambda: 4)),
        ("triangular", .triangular(min: 1, mode: 2, max: 6)), ("gamma", .gamma(shape: 6.25, scale: 800)),
        ("discrete", .discrete(values: [1, 2, 3], weights: [0.3, 0.5, 0.2])),
    ]
    for (name, distribution) in families {
        Benchmark("sample/\(name)", configuration: .init(metrics: [.wallClock, .throughput, .instructions], scalingFactor: .kilo)) { benchmark in
            let sampler = Sampler(distribution)
            let stream = RandomStream(seed: 1)
            for _ in benchmark.scaledIterations { blackHole(sampler.sample(stream)) }
        }
    }

    // Inversion through a quantile table (issue 27): one uniform and one table lookup a variate, against the
    // sample/… rejection samplers above.
    let tables: [(String, InverseCDFTable)] = [("beta", .beta(2.5, 4)), ("gamma", .gamma(shape: 6.25)), ("normal", .standardNormal)]
    for (name, table) in tables {
        Benchmark("invert/\(name)", configuration: .init(metrics: [.wallClock, .throughput, .instructions], scalingFactor: .kilo)) { benchmark in
            let core = table.core
            let stream = RandomStream(seed: 1)
            for _ in benchmark.scaledIterations { blackHole(core.quantile(stream.uniformPositive())) }
        }
    }

    // The mapping engine: one chunk of 1,024 draws on one thread, by scenario size, with and without the copula.
    for tasks in [100, 1_000, 10_000] {
        for correlated in [false, true] {
            let scenario = generatedScenario(tasks: tasks, correlated: correlated)
            Benchmark("map/\(tasks)-tasks\(correlated ? "-copula" : "")",
                      configuration: .init(metrics: [.wallClock, .throughput, .instructions, .mallocCountTotal, .peakMemoryResident],
                                           warmupIterations: tasks >= 10_000 ? 0 : 1, maxDuration: .seconds(3),
                                           maxIterations: tasks >= 10_000 ? 2 : 20)) { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try MappingEngine.run(scenario, options: MappingOptions(draws: 1_024, seed: 1, threads: 1)))
                }
            }
        }
    }

    // The matrix step on a 1,000-task result.
    let result = try! MappingEngine.run(generatedScenario(tasks: 1_000, correlated: false), options: MappingOptions(draws: 1_024, threads: 1))
    Benchmark("matrix/service-probability") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(result.matrix(level: .service, view: .probability)) }
    }
    Benchmark("matrix/service-risk-cvar") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(result.matrix(level: .service, view: .riskReturn, risk: .cvar)) }
    }

    // The redeployment step: four policies of the bundled workforce scenario, one chunk of draws.
    let workforce = try! ScenarioLoader.load(path: root.appendingPathComponent("Scenarios/county-councils-workforce.yaml").path)
    Benchmark("redeploy/county-workforce", configuration: .init(metrics: [.wallClock, .throughput, .instructions, .mallocCountTotal])) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try RedeploymentEngine.run(workforce, options: RedeploymentOptions(draws: 1_024, seed: 1, threads: 1)))
        }
    }

    // The adoption comparison: three programmes against six barriers on the Catalyst scenario, one chunk of draws.
    let catalyst = try! ScenarioLoader.load(path: root.appendingPathComponent("Scenarios/catalyst.yaml").path)
    Benchmark("adopt/catalyst", configuration: .init(metrics: [.wallClock, .throughput, .instructions, .mallocCountTotal])) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try AdoptionEngine.run(catalyst, options: AdoptionOptions(draws: 1_024, seed: 1, threads: 1)))
        }
    }

    // One sweep point of the bundled AI-progress sweep (2,000 draws, 26 outputs), as a sweep runs it: its scenario
    // patched and validated from the base file's tree, then mapped.
    let plan = try! SweepLoader.load(path: root.appendingPathComponent("Scenarios/sweeps/ai-progress.yaml").path)
    let outputs = try! SweepOutput.resolve(plan.definition, base: plan.base)
    let builder = try! plan.builder()
    Benchmark("sweep/ai-progress-point", configuration: .init(metrics: [.wallClock, .throughput, .instructions], maxDuration: .seconds(3),
                                                            maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try SweepOutput.run(outputs, scenario: try builder.scenario(ofPoint: 0), draws: plan.definition.draws,
                                          seed: plan.seed(ofPoint: 0)))
        }
    }
}

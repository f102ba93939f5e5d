import DXEngine
import DXSampling
import DXScenario
import DXTestSupport
import XCTest

/// Engine means against closed-form expectations, with tolerances from the Monte Carlo standard error.
final class MappingEngineTests: XCTestCase {
    static let yaml = """
    dxmap: 1
    name: Closed-form check
    currency: GBP
    horizon: 4
    discount_rate: 0.05
    organisations:
      - { id: essex }
      - { id: suffolk }
    roles:
      - id: admin
        cost_per_fte: 30000
        automation: { beta: { mean: 0.6, sd: 0.1 } }
      - id: social-worker
        cost_per_fte: 42000
        automation: { pert: { min: 0.05, mode: 0.15, max: 0.4 } }
    services:
      - id: blue-badge
        organisation: essex
        tasks:
          - id: eligibility
            role: admin
            fte: 14
            realisation: { uniform: { min: 0.6, max: 1.0 } }
            implementation_cost: { lognormal: { p5: 40000, p95: 250000 } }
            running_cost: 12000
            adoption_year: { discrete: { values: [1, 2, 3], weights: [0.3, 0.5, 0.2] } }
          - id: assessment
            role: social-worker
            fte: 6
            running_cost: { gamma: { mean: 5000, sd: 2000 } }
            adoption_year: { triangular: { min: 1, mode: 2, max: 6 } }
      - id: safeguarding
        organisation: suffolk
        tasks:
          - id: triage
            role: social-worker
            fte: 20
            automation: { triangular: { min: 0.1, mode: 0.2, max: 0.5 } }
            realisation: { normal: { mean: 0.8, sd: 0.15, min: 0, max: 1 } }
            implementation_cost: 90000
    """

    static func exactTaskMeans(_ s: Scenario) -> [(gross: Double, displaced: Double, npv: Double)] {
        let d = s.discountRate, H = s.horizon
        return s.services.flatMap { service in service.tasks.map { task in
            let cost = s.roles.first { $0.id == task.role }!.costPerFTE
            let share = s.automation(of: task)!.mean * task.realisation.mean
            let gross = share * cost * task.fte
            var npv = 0.0, below = 0.0
            for a in 1...H {  // P(round(year) = a), year < 1.5 counting as 1
                let upTo = task.adoptionYear.cdf(Double(a) + 0.5)
                let p = upTo - below
                below = upTo
                let annuity = (a...H).reduce(0.0) { $0 + pow(1 + d, -Double($1)) }
                npv += p * ((gross - task.runningCost.mean) * annuity - task.implementationCost.mean * pow(1 + d, -Double(a)))
            }
            return (gross, share * task.fte, npv)
        } }
    }

    /// A run against a variant on the same draws: the variant doubles one task's implementation cost (a lognormal's
    /// quantiles scale with it, so each draw's cost doubles), so the base is ahead in every draw, by that cost
    /// discounted to its adoption year: E[I] · E[(1 + d)^−a] in closed form. The other service ties in every draw.
    func testComparisonWithAVariantOnTheSameDraws() throws {
        let base = try ScenarioLoader.parse(Self.yaml, file: "base.yaml")
        let variant = try ScenarioLoader.parse(Self.yaml.replacingOccurrences(of: "p5: 40000, p95: 250000", with: "p5: 80000, p95: 500000"),
                                               file: "variant.yaml")
        var options = MappingOptions(draws: 20_000, seed: 3, threads: 2)
        (options.recordsDraws, options.recordsInputs) = (true, false)
        let a = try MappingEngine.run(base, options: options), b = try MappingEngine.run(variant, options: options)
        XCTAssertEqual(a.drawTable?.columns.count, a.entities.filter { $0.level != .task }.count, "NPVs only, no inputs")
        let c = try MappingComparison(a, against: b, baseline: "the variant")
        XCTAssert(c.sameTasks)
        XCTAssert(c.unmatched.isEmpty)
        let row = try XCTUnwrap(c.rows.first { $0.level == .service && $0.id == "blue-badge" })
        XCTAssertEqual(row.difference.probabilityBetter, 1, "ahead in every future")
        XCTAssertEqual(row.difference.probabilityWorse, 0)
        let task = base.services[0].tasks[0]
        var discount = 0.0, below = 0.0
        for year in 1...base.horizon {
            let upTo = task.adoptionYear.cdf(Double(year) + 0.5)
            discount += (upTo - below) * pow(1 + base.discountRate, -Double(year))
            below = upTo
        }
        let expected = task.implementationCost.mean * discount
        XCTAssertEqual(row.difference.mean, expected, accuracy: 4 * row.difference.summary.standardError)
        XCTAssertEqual(row.difference.mean, row.mean - row.baselineMean, accuracy: 1e-9 * expected)
        XCTAssertEqual(row.mean, a.summary(level: .service, id: "blue-badge", .npv)!.mean, accuracy: 1e-9 * abs(row.mean))
        let same = try XCTUnwrap(c.rows.first { $0.id == "safeguarding" })
        XCTAssertEqual(same.difference.probabilityTied, 1, "the same draws: no difference where nothing changed")
        XCTAssertEqual(same.difference.summary.sd, 0)
        // On common random numbers the difference varies far less than two independent runs' would.
        let total = try XCTUnwrap(c.rows.first { $0.level == .total })
        let sa = a.summary(level: .total, id: "total", .npv)!.sd, sb = b.summary(level: .total, id: "total", .npv)!.sd
        XCTAssertLessThan(total.difference.summary.sd, 0.5 * (sa * sa + sb * sb).squareRoot())
        // Without a record, no comparison.
        XCTAssertThrowsError(try MappingComparison(try MappingEngine.run(base, options: MappingOptions(draws: 100, seed: 3)), against: b,
                                                   baseline: "x"))
    }

    /// Leaving tasks out of `percentileLevels` drops their sketches only: every other number is bit-identical, a
    /// task keeps its exact mean, sd and P(loss), its percentiles and CVaR are NaN, and a constant is still exact.
    func testTaskPercentilesAreTheOnlyThingLeftOut() throws {
        let scenario = try ScenarioLoader.parse(Self.yaml)
        var options = MappingOptions(draws: 3000, seed: 11, threads: 2)
        let full = try MappingEngine.run(scenario, options: options)
        options.percentileLevels.remove(.task)
        let lean = try MappingEngine.run(scenario, options: options)
        XCTAssertEqual(full.percentileLevels, Set(Level.allCases))
        XCTAssertEqual(lean.percentileLevels, [.service, .role, .organisation, .total])
        var (checked, varying, lossSeen) = (0, 0, false)
        for (e, entity) in full.entities.enumerated() {
            for metric in full.metrics {
                let a = full.summary(e, metric), b = lean.summary(e, metric)
                guard entity.level == .task, metric != .labourValue else {
                    XCTAssertEqual(a, b, "\(entity.id) \(metric)")
                    continue
                }
                XCTAssertEqual(a.mean, b.mean, "\(entity.id) \(metric)")
                XCTAssertEqual(a.sd, b.sd, "\(entity.id) \(metric)")
                XCTAssertEqual(a.count, b.count)
                XCTAssertTrue(a.hasPercentiles)
                if metric == .npv { XCTAssertEqual(a.pLoss, b.pLoss); lossSeen = lossSeen || b.pLoss > 0 }
                if a.sd == 0 {
                    XCTAssertEqual(a, b, "\(entity.id) \(metric): a constant is exact without a sketch")
                } else {
                    XCTAssertFalse(b.hasPercentiles, "\(entity.id) \(metric)")
                    XCTAssertTrue(b.cvar5.isNaN)
                    varying += 1
                }
                checked += 1
            }
        }
        XCTAssertTrue(lossSeen, "some task's NPV can be negative, and its P(loss) is kept")
        XCTAssertGreaterThan(varying, 10)
        XCTAssertEqual(checked, 3 * 6)
    }

    func testMeansMatchClosedFormExpectations() throws {
        let scenario = try ScenarioLoader.parse(Self.yaml)
        let result = try MappingEngine.run(scenario, options: MappingOptions(draws: 40_000, seed: 11, threads: 2))
        let exact = Self.exactTaskMeans(scenario)
        let tasks = result.entities.indices.filter { result.entities[$0].level == .task }
        for (i, e) in tasks.enumerated() {
            for (metric, value) in [(Metric.grossSaving, exact[i].gross), (.displacedFTE, exact[i].displaced), (.npv, exact[i].npv)] {
                let s = result.summary(e, metric)
                assertWithinMonteCarloError(s.mean, value, standardError: s.standardError, "\(result.entities[e].id) \(metric):")
            }
        }
        // Aggregates are sums of tasks: E[V_total] = Σ E[θ]E[ρ]L, E[P_s] = E[V_s]/L_s.
        let total = result.summary(level: .total, id: "total", .grossSaving)!
        assertWithinMonteCarloError(total.mean, exact.reduce(0) { $0 + $1.gross }, standardError: total.standardError)
        let p = result.summary(level: .service, id: "blue-badge", .automationProbability)!
        let labour = 14.0 * 30000 + 6 * 42000
        assertWithinMonteCarloError(p.mean, (exact[0].gross + exact[1].gross) / labour, standardError: p.standardError)
        let role = result.summary(level: .role, id: "social-worker", .npv)!
        assertWithinMonteCarloError(role.mean, exact[1].npv + exact[2].npv, standardError: role.standardError)
        // Constant inputs are reported exactly.
        let running = result.summary(level: .task, id: "blue-badge/eligibility", .runningCost)!
        XCTAssertEqual([running.mean, running.p5, running.p95, running.sd], [12000, 12000, 12000, 0])
        XCTAssertEqual(result.summary(level: .organisation, id: "suffolk", .labourValue)!.mean, 20 * 42000)
    }

    /// Sampling by inversion (issue 27, the default) gives the same closed-form means, and the same numbers on 1 and 2
    /// threads; on the copula scenario too; GSL's samplers (`gsl-direct`) draw differently.
    func testInversionSamplingMatchesTheClosedFormsOnAnyThreads() throws {
        let scenario = try ScenarioLoader.parse(Self.yaml)
        var options = MappingOptions(draws: 40_000, seed: 11, threads: 2)
        options.sampler = .inversion
        let result = try MappingEngine.run(scenario, options: options)
        let exact = Self.exactTaskMeans(scenario)
        let tasks = result.entities.indices.filter { result.entities[$0].level == .task }
        for (i, e) in tasks.enumerated() {
            for (metric, value) in [(Metric.grossSaving, exact[i].gross), (.npv, exact[i].npv)] {
                let s = result.summary(e, metric)
                assertWithinMonteCarloError(s.mean, value, standardError: s.standardError, "inversion \(result.entities[e].id) \(metric):")
            }
        }
        options.threads = 1
        let one = try MappingEngine.run(scenario, options: options)
        for e in result.entities.indices {
            XCTAssertEqual(one.summary(e, .npv).mean, result.summary(e, .npv).mean)
            XCTAssertEqual(one.summary(e, .npv).p95, result.summary(e, .npv).p95)
        }
        var gslOptions = MappingOptions(draws: 40_000, seed: 11, threads: 2)
        gslOptions.sampler = .gslDirect
        XCTAssertEqual(gslOptions.generator, .mt19937, "gsl-direct keeps the generator of earlier releases")
        XCTAssertEqual(MappingOptions().generator, .xoshiro256)
        let plain = try MappingEngine.run(scenario, options: gslOptions)
        XCTAssertNotEqual(plain.summary(tasks[0], .npv).mean, result.summary(tasks[0], .npv).mean, "the two methods draw differently")
        var copula = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/italian-pa.yaml").path)
        copula.correlation = Correlation(global: 0.3, role: 0.2)
        var o = MappingOptions(draws: 4_000, seed: 3, threads: 2)
        o.sampler = .gslDirect
        let direct = try MappingEngine.run(copula, options: o)
        o.sampler = .inversion
        let inverted = try MappingEngine.run(copula, options: o)
        let (a, b) = (direct.summary(level: .total, id: "total", .npv)!, inverted.summary(level: .total, id: "total", .npv)!)
        XCTAssertEqual(a.mean, b.mean, accuracy: 4 * (a.standardError * a.standardError + b.standardError * b.standardError).squareRoot())
    }

    /// Latin hypercube and scrambled Sobol' draws: closed-form means within 4 of their replicates' standard errors, those
    /// errors well under plain Monte Carlo's at equal draws (the closed-form scenario's total is a sum over tasks, where
    /// stratifying each input removes most of the variance), results the same on 1 and 2 threads, and the copula's normals
    /// drawn through the design too.
    func testDrawDesignsMatchTheClosedFormsWithSmallerErrors() throws {
        let scenario = try ScenarioLoader.parse(Self.yaml)
        let exact = Self.exactTaskMeans(scenario)
        let plain = try MappingEngine.run(scenario, options: MappingOptions(draws: 20_000, seed: 4, threads: 2))
        let plainSE = plain.summary(level: .total, id: "total", .grossSaving)!.standardError
        XCTAssertNil(plain.summary(level: .total, id: "total", .grossSaving)!.replicateStandardError)
        for method in [DrawDesign.Method.latinHypercube, .sobol] {
            var options = MappingOptions(draws: 20_000, seed: 4, threads: 2)
            options.design = DrawDesign(method, replicates: 10)
            let result = try MappingEngine.run(scenario, options: options)
            XCTAssertEqual(result.run.design, DrawDesign(method, replicates: 10))
            let tasks = result.entities.indices.filter { result.entities[$0].level == .task }
            for (i, e) in tasks.enumerated() {
                for (metric, value) in [(Metric.grossSaving, exact[i].gross), (.npv, exact[i].npv)] {
                    let s = result.summary(e, metric)
                    XCTAssertNotNil(s.replicateStandardError)
                    assertWithinMonteCarloError(s.mean, value, standardError: s.standardError, "\(method) \(result.entities[e].id) \(metric):")
                }
            }
            let total = result.summary(level: .total, id: "total", .grossSaving)!
            assertWithinMonteCarloError(total.mean, exact.reduce(0) { $0 + $1.gross }, standardError: total.standardError, "\(method) total")
            XCTAssertLessThan(total.standardError, plainSE / 3, "\(method): a design's error at equal draws")
            options.threads = 1
            let one = try MappingEngine.run(scenario, options: options)
            for e in result.entities.indices {
                let (a, b) = (one.summary(e, .npv), result.summary(e, .npv))
                XCTAssertEqual([a.mean, a.p95, a.standardError], [b.mean, b.p95, b.standardError], "\(method) on 1 and 2 threads")
            }
        }
        var copula = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/italian-pa.yaml").path)
        copula.correlation = Correlation(global: 0.3, role: 0.2)
        let reference = try MappingEngine.run(copula, options: MappingOptions(draws: 40_000, seed: 8, threads: 2))
        var o = MappingOptions(draws: 10_000, seed: 3, threads: 2)
        o.design = DrawDesign(.sobol)
        let designed = try MappingEngine.run(copula, options: o)
        let (a, b) = (reference.summary(level: .total, id: "total", .npv)!, designed.summary(level: .total, id: "total", .npv)!)
        XCTAssertEqual(a.mean, b.mean, accuracy: 4 * (a.standardError * a.standardError + b.standardError * b.standardError).squareRoot())
        // Impossible designs are refused with what to change.
        o.draws = 10_005
        XCTAssertThrowsError(try MappingEngine.run(copula, options: o)) {
            XCTAssert("\($0)".contains("multiple of the replicates (10)"), "\($0)")
        }
    }

    /// Short runs by inversion are cut into 8 chunks (at least 64 draws) so that both cores work; the rule depends on the
    /// draws and sampler only, so a 333-draw run is the same on 1, 2 and 3 threads; gsl-direct keeps 1,024. Organisations
    /// and the total, summed from services by inversion, are the sums of their services.
    func testShortRunsUseSmallChunksAndStayThreadIndependent() throws {
        XCTAssertEqual(MonteCarloSettings.chunkSize(draws: 333, sampler: .inversion), 64)
        XCTAssertEqual(MonteCarloSettings.chunkSize(draws: 2_000, sampler: .inversion), 250)
        XCTAssertEqual(MonteCarloSettings.chunkSize(draws: 10_000, sampler: .inversion), 1024)
        XCTAssertEqual(MonteCarloSettings.chunkSize(draws: 333, sampler: .gslDirect), 1024)
        var design = MappingOptions(draws: 4_000, seed: 1, threads: 1)
        design.design = DrawDesign(.sobol, replicates: 10)
        XCTAssertEqual(design.common.chunkSize, 64, "a design's chunks follow its replicates' draws")
        let scenario = try ScenarioLoader.parse(Self.yaml)
        let runs = try [1, 2, 3].map { try MappingEngine.run(scenario, options: MappingOptions(draws: 333, seed: 9, threads: $0)) }
        XCTAssertEqual(runs[1].run.threadsUsed, 2)
        for r in runs.dropFirst() {
            for e in r.entities.indices {
                for m in [Metric.npv, .grossSaving] {
                    let (a, b) = (runs[0].summary(e, m), r.summary(e, m))
                    XCTAssertEqual([a.mean, a.sd, a.p5, a.p95], [b.mean, b.sd, b.p5, b.p95], "\(r.entities[e].id) \(m)")
                }
            }
        }
        let total = runs[0].summary(level: .total, id: "total", .npv)!.mean
        let services = runs[0].entities(at: .service).map { runs[0].summary(level: .service, id: $0.id, .npv)!.mean }.reduce(0, +)
        XCTAssertEqual(total, services, accuracy: 1e-9 * abs(total))
    }

    /// A scenario's `sampling:` is what its runs use unless the options say otherwise.
    func testAScenariosSamplingBlockIsUsedUnlessTheOptionsChoose() throws {
        let yaml = Self.yaml + "\nsampling: { sampler: gsl-direct, design: latin-hypercube, replicates: 4 }\n"
        let scenario = try ScenarioLoader.parse(yaml)
        XCTAssertEqual(scenario.sampling, SamplingSettings(sampler: .gslDirect, design: .latinHypercube, replicates: 4))
        let result = try MappingEngine.run(scenario, options: MappingOptions(draws: 400, seed: 2, threads: 1))
        XCTAssertEqual(result.run.sampling, SamplingSettings(sampler: .gslDirect, generator: .mt19937, design: .latinHypercube, replicates: 4))
        var options = MappingOptions(draws: 400, seed: 2, threads: 1)
        options.sampler = .inversion
        options.design = .plain
        let chosen = try MappingEngine.run(scenario, options: options)
        XCTAssertEqual(chosen.run.sampling, SamplingSettings(sampler: .inversion, generator: .xoshiro256, design: .plain, replicates: 1))
        // The scenario reference's example block (Distributions, "Draw designs") reads as it says.
        let reference = try String(contentsOf: packageRoot.appendingPathComponent("docs/reference/scenario-files.md"), encoding: .utf8)
        let block = reference.components(separatedBy: "```yaml\nsampling:")[1].components(separatedBy: "```")[0]
        let documented = try ScenarioLoader.parse(Self.yaml + "\nsampling:" + block)
        XCTAssertEqual(documented.sampling, SamplingSettings(design: .latinHypercube, replicates: 10))
        XCTAssertThrowsError(try ScenarioLoader.parse(Self.yaml + "\nsampling: { design: latin-hypercub }\n")) {
            XCTAssert("\($0)".contains("sampling.design") && "\($0)".contains("did you mean 'latin-hypercube'"), "\($0)")
        }
    }

    /// The scenario `make compare` sweeps against the EMA Workbench has the closed form its comment states.
    func testBundledClosedFormScenarioMatchesItsClosedForm() throws {
        let scenario = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/closed-form.yaml").path)
        let result = try MappingEngine.run(scenario, options: MappingOptions(draws: 40_000, seed: 5, threads: 2))
        let exact = Self.exactTaskMeans(scenario)
        let annuity = (1...5).reduce(0.0) { $0 + pow(1.03, -Double($1)) }
        XCTAssertEqual(annuity, 4.579707, accuracy: 5e-7, "the annuity the scenario's comment quotes")
        for (id, tasks) in [("registry", 0..<2), ("inspections", 2..<3)] {
            let s = result.summary(level: .service, id: id, .grossSaving)!
            assertWithinMonteCarloError(s.mean, exact[tasks].reduce(0) { $0 + $1.gross }, standardError: s.standardError, id)
        }
        let npv = result.summary(level: .total, id: "total", .npv)!
        assertWithinMonteCarloError(npv.mean, exact.reduce(0) { $0 + $1.npv }, standardError: npv.standardError, "total NPV")
    }

    /// A run that summarises named outputs only counts no quadrant hits: its matrix says so with NaN probabilities
    /// (never 0), and NaN whiskers where the level has no percentiles, without trapping.
    func testSummarisedRunHasNoQuadrantProbabilities() throws {
        let scenario = try ScenarioLoader.parse(Self.yaml)
        var options = MappingOptions(draws: 2000, seed: 3, threads: 1)
        options.summarised = [MetricKey(.total, "total", .npv)]
        let result = try MappingEngine.run(scenario, options: options)
        // The output view places only services with an output cost, which this scenario has none of (OutputCostTests).
        for view in MatrixView.allCases where view != .output {
            let matrix = result.matrix(level: .service, view: view)
            XCTAssertEqual(matrix.points.count, 2)
            for p in matrix.points {
                XCTAssertTrue(p.probabilities.values.allSatisfy(\.isNaN), "\(view) \(p.entity.id)")
                XCTAssertNil(p.yRange)
            }
        }
        options.summarised = nil
        options.percentileLevels = [.total]
        let lean = try MappingEngine.run(scenario, options: options).matrix(level: .service, view: .probability)
        for p in lean.points {   // (a dictionary's order varies between processes, and so does the last bit of this sum)
            XCTAssertEqual(p.probabilities.values.reduce(0, +), 1, accuracy: 1e-12, "quadrants are counted in a full run")
        }
        XCTAssertTrue(lean.points.allSatisfy { $0.yRange == nil && $0.xRange == nil && $0.x.isFinite })
    }

    func testVarianceOfIndependentTotalMatchesClosedForm() throws {
        // Var(Σ θ_t ρ_t L_t) = Σ L_t² (E[θ²]E[ρ²] − E[θ]²E[ρ]²) for independent tasks.
        let scenario = try ScenarioLoader.parse(Self.yaml)
        let result = try MappingEngine.run(scenario, options: MappingOptions(draws: 40_000, seed: 3, threads: 2))
        var variance = 0.0
        for service in scenario.services {
            for task in service.tasks {
                let theta = scenario.automation(of: task)!, rho = task.realisation
                let L = task.fte * scenario.roles.first { $0.id == task.role }!.costPerFTE
                let m2 = (theta.variance + theta.mean * theta.mean) * (rho.variance + rho.mean * rho.mean)
                variance += L * L * (m2 - pow(theta.mean * rho.mean, 2))
            }
        }
        let sd = result.summary(level: .total, id: "total", .grossSaving)!.sd
        // The relative standard error of a sample sd is about 1/√(2n) ≈ 0.35% here (more with heavy tails).
        XCTAssertEqual(sd, variance.squareRoot(), accuracy: 0.03 * variance.squareRoot())
    }

    func testCorrelationWidensTheSpreadButKeepsTheMean() throws {
        var scenario = try ScenarioLoader.parse(Self.yaml)
        let independent = try MappingEngine.run(scenario, options: MappingOptions(draws: 30_000, seed: 5, threads: 2))
        scenario.correlation = Correlation(global: 0.6, role: 0.2)
        let correlated = try MappingEngine.run(scenario, options: MappingOptions(draws: 30_000, seed: 5, threads: 2))
        let a = independent.summary(level: .total, id: "total", .grossSaving)!
        let b = correlated.summary(level: .total, id: "total", .grossSaving)!
        let exact = Self.exactTaskMeans(scenario).reduce(0) { $0 + $1.gross }
        assertWithinMonteCarloError(a.mean, exact, standardError: a.standardError)
        assertWithinMonteCarloError(b.mean, exact, standardError: b.standardError)
        XCTAssertGreaterThan(b.sd, 1.15 * a.sd, "correlation must widen the spread of the total")
        XCTAssertGreaterThan(b.p95 - b.p5, 1.15 * (a.p95 - a.p5))
        // Each task's own marginal is unchanged by the copula.
        let t1 = independent.summary(level: .task, id: "safeguarding/triage", .automationProbability)!
        let t2 = correlated.summary(level: .task, id: "safeguarding/triage", .automationProbability)!
        XCTAssertEqual(t2.sd, t1.sd, accuracy: 0.03 * t1.sd)
    }

    func testDefaultThresholdsAreTheMedianOfExpectedValues() throws {
        let scenario = try ScenarioLoader.parse(Self.yaml)
        let result = try MappingEngine.run(scenario, options: MappingOptions(draws: 2_000, seed: 1, threads: 1))
        let exact = Self.exactTaskMeans(scenario)
        let services = [exact[0].gross + exact[1].gross, exact[2].gross]
        let t = result.thresholds(for: .service)
        XCTAssertEqual(t.probability, 0.5)
        XCTAssertEqual(t.value!, (services[0] + services[1]) / 2, accuracy: 1e-6 * services[0])
    }
}

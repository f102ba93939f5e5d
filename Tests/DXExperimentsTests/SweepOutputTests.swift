import DXEngine
import DXExperiments
import DXSampling
import DXScenario
import DXTestSupport
import Foundation
import XCTest

/// A sweep point summarises only its outputs (the mapping's named series, the named policies and the baseline);
/// each number it keeps is the full run's, bit for bit.
final class SweepOutputTests: XCTestCase {
    func scenario(_ name: String) throws -> Scenario {
        try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/\(name)").path)
    }

    func assertSame(_ a: DistributionSummary, _ b: DistributionSummary, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let x = [a.mean, a.sd, a.p5, a.p25, a.p50, a.p75, a.p95, a.pLoss, a.cvar5].map(\.bitPattern)
        let y = [b.mean, b.sd, b.p5, b.p25, b.p50, b.p75, b.p95, b.pLoss, b.cvar5].map(\.bitPattern)
        XCTAssertEqual(x, y, what, file: file, line: line)
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
    }

    func testMappingOutputsAreTheFullRunsNumbers() throws {
        let s = try scenario("italian-pa.yaml")
        let outputs = try SweepOutput.resolve(["total.npv", "service[*].gross_saving", "task[*].displaced_fte", "organisation[*].automation_probability"],
                                              base: s)
        let point = try SweepOutput.run(outputs, scenario: s, draws: 3_000, seed: 11, threads: 2)
        let full = try MappingEngine.run(s, options: MappingOptions(draws: 3_000, seed: 11, threads: 1))
        for (output, summary) in zip(outputs, point) {
            guard case let .mapping(level, id, metric) = output.source else { return XCTFail(output.name) }
            assertSame(summary, full.summary(level: level, id: id, metric)!, output.name)
        }
        // What was not asked for is not summarised, and says so rather than passing for a number.
        var options = MappingOptions(draws: 3_000, seed: 11, threads: 1)
        options.summarised = [MetricKey(.total, "total", .npv)]
        let lean = try MappingEngine.run(s, options: options)
        XCTAssertEqual(lean.summary(level: .total, id: "total", .npv)!.mean.bitPattern, full.summary(level: .total, id: "total", .npv)!.mean.bitPattern)
        let skipped = lean.summary(level: .total, id: "total", .runningCost)!
        XCTAssertEqual(skipped.count, 0)
        XCTAssert(skipped.mean.isNaN)
        XCTAssertFalse(lean.isSummarised(lean.index(of: .total, id: "total")!, .runningCost))
    }

    func testRedeploymentOutputsRunOnlyTheNamedPoliciesAndTheBaseline() throws {
        let s = try scenario("county-councils-workforce.yaml")
        XCTAssertGreaterThan(s.policies.count, 2)
        let named = s.policies[2].id
        let outputs = try SweepOutput.resolve(["redeploy.baseline.redundant", "redeploy.\(named).net_saving", "total.npv"], base: s)
        let point = try SweepOutput.run(outputs, scenario: s, draws: 400, seed: 5, threads: 2)
        let full = try RedeploymentEngine.run(s, options: RedeploymentOptions(draws: 400, seed: 5, threads: 1))
        assertSame(point[0], full.summary(policy: s.policies[0].id, year: 0, metric: .redundant)!, "baseline")
        assertSame(point[1], full.summary(policy: named, year: 0, metric: .netSaving)!, named)
    }

    /// `@yearN` keeps one year of a redeployment metric, `@year*` every year of the horizon, each the full run's year.
    func testYearlyRedeploymentOutputs() throws {
        let s = try scenario("county-councils-workforce.yaml")
        let outputs = try SweepOutput.resolve(["redeploy.shared-pool.redundant@year*", "redeploy.baseline.in_pool@year2"], base: s)
        XCTAssertEqual(outputs.map(\.name), (1...s.horizon).map { "redeploy.shared-pool.redundant@year\($0)" } + ["redeploy.baseline.in_pool@year2"])
        XCTAssertEqual(SweepOutput.yearly(outputs[2].name)?.series, "redeploy.shared-pool.redundant")
        XCTAssertEqual(SweepOutput.yearly(outputs[2].name)?.year, 3)
        XCTAssertNil(SweepOutput.yearly("redeploy.shared-pool.redundant"))
        let point = try SweepOutput.run(outputs, scenario: s, draws: 300, seed: 5, threads: 2)
        let full = try RedeploymentEngine.run(s, options: RedeploymentOptions(draws: 300, seed: 5, threads: 1))
        for year in 1...s.horizon {
            assertSame(point[year - 1], full.summary(policy: "shared-pool", year: year, metric: .redundant)!, "year \(year)")
        }
        assertSame(point[s.horizon], full.summary(policy: s.policies[0].id, year: 2, metric: .inPool)!, "baseline year 2")
        for (spec, message) in [("redeploy.shared-pool.redundant@year9", "expected @year1 … @year5"), ("total.npv@year1", "only redeployment outputs"),
                                ("redeploy.shared-pool.redundant@y2", "expected @year1")] {
            XCTAssertThrowsError(try SweepOutput.resolve([spec], base: s)) { XCTAssert("\($0)".contains(message), "\($0)") }
        }
    }

    /// `sampling:` in a sweep file reaches every point: a point's outputs are then the full run's with that sampler and
    /// draw design, bit for bit; a sampler the reader does not know is reported at its line.
    func testASweepsSamplingReachesItsPoints() throws {
        let dir = TemporaryDirectory()
        let path = try SweepFixtures.write(into: dir, points: 4, draws: 300,
                                           extra: "sampling: { sampler: gsl-direct, design: latin-hypercube, replicates: 3 }\n")
        let plan = try SweepLoader.load(path: path)
        XCTAssertEqual(plan.definition.sampling, SamplingSettings(sampler: .gslDirect, design: .latinHypercube, replicates: 3))
        let s = try plan.scenario(ofPoint: 1)
        let outputs = try SweepOutput.resolve(["total.npv"], base: s)
        let point = try SweepOutput.run(outputs, scenario: s, draws: 300, seed: plan.seed(ofPoint: 1), sampling: plan.definition.sampling)
        var options = MappingOptions(draws: 300, seed: plan.seed(ofPoint: 1), threads: 1)
        options.sampler = .gslDirect
        options.design = DrawDesign(.latinHypercube, replicates: 3)
        let full = try MappingEngine.run(s, options: options)
        assertSame(point[0], full.summary(level: .total, id: "total", .npv)!, "total.npv, gsl-direct in a Latin hypercube")
        let plain = try SweepOutput.run(outputs, scenario: s, draws: 300, seed: plan.seed(ofPoint: 1))
        XCTAssertNotEqual(plain[0].mean, point[0].mean)
        let bad = try SweepFixtures.write(into: dir, points: 4, draws: 300, extra: "sampling: { sampler: invertion }\n")
        XCTAssertThrowsError(try SweepLoader.load(path: bad)) {
            XCTAssert("\($0)".contains("expected gsl-direct, inversion") && "\($0)".contains("did you mean 'inversion'"), "\($0)")
        }
    }
}

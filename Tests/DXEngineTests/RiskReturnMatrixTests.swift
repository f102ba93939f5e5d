import DXEngine
import DXScenario
import DXTestSupport
import XCTest

final class RiskReturnMatrixTests: XCTestCase {
    /// A risk measure that ties (every county service's worst 5% still gains: CVaR risk 0) or crowds (most Italian
    /// services' P(loss) within 1% of the range) is said so, with the measure that separates them; the table prints
    /// enough decimals to tell a value from the threshold; sd on the same runs is not flagged.
    func testDegenerateRiskIsNamedAndDigitsTellValuesApart() throws {
        let county = try MappingEngine.run(try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/county-councils.yaml").path),
                                           options: MappingOptions(draws: 4_000, seed: 3, threads: 2))
        let cvar = county.matrix(level: .service, view: .riskReturn, risk: .cvar)
        XCTAssert(cvar.points.allSatisfy { $0.x == 0 }, "the premise: every CVaR risk is 0")
        XCTAssert(cvar.everyXTied)
        XCTAssertEqual(cvar.degeneracy, "every service has risk 0.00 (its worst 5% of draws still gains): cvar cannot tell them apart; "
                       + "--risk sd does")
        XCTAssertNil(county.matrix(level: .service, view: .riskReturn, risk: .sd).degeneracy)
        XCTAssertNil(county.matrix(level: .service, view: .probability).degeneracy, "the probability view has no risk measure")

        let italy = try MappingEngine.run(try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/italian-pa.yaml").path),
                                          options: MappingOptions(draws: 4_000, seed: 3, threads: 2))
        let loss = italy.matrix(level: .service, view: .riskReturn, risk: .loss)
        let crowded = try XCTUnwrap(loss.crowdedX)
        let xs = loss.points.map(\.x)
        let span = xs.max()! - xs.min()!
        XCTAssertEqual(crowded.count, xs.filter { $0 >= crowded.low && $0 <= crowded.high }.count)
        XCTAssertLessThanOrEqual(crowded.high - crowded.low, 0.01 * span)
        XCTAssertFalse(loss.everyXTied)
        XCTAssert(loss.degeneracy?.contains("the chart draws them on one line; --risk sd separates them") == true, loss.degeneracy ?? "")
        let threshold = loss.formatX(loss.xThreshold)
        for p in loss.points where p.x != loss.xThreshold { XCTAssertNotEqual(loss.formatX(p.x), threshold, p.entity.name) }
        XCTAssertGreaterThan(loss.xDecimals, 2, "two decimals print most of these as the threshold")
    }

    func testQuadrantsFollowTheThresholdsAndProbabilitiesSumToOne() throws {
        let scenario = try ScenarioLoader.parse(MappingEngineTests.yaml)
        var options = MappingOptions(draws: 5_000, seed: 8, threads: 2)
        options.thresholds = MatrixThresholds(probability: 0.3)
        let result = try MappingEngine.run(scenario, options: options)
        // The output view places only entities with an output cost (none here) and counts no quadrants: OutputCostTests.
        for view in MatrixView.allCases where view != .output {
            for level in [Level.service, .role, .organisation] {
                let m = result.matrix(level: level, view: view, risk: .loss)
                XCTAssertEqual(m.points.count, result.entities(at: level).count)
                for p in m.points {
                    XCTAssertEqual(p.probabilities.values.reduce(0, +), 1, accuracy: 1e-12)
                    let favourable = view == .probability ? p.x >= m.xThreshold : p.x <= m.xThreshold
                    XCTAssertEqual(p.quadrant, Quadrant(favourableX: favourable, highY: p.y >= m.yThreshold))
                }
            }
        }
        // Blue badge (admin and social work, P ≈ 0.37) sits right of the 0.3 line, safeguarding (P ≈ 0.21) left of it.
        let m = result.matrix(level: .service, view: .probability)
        XCTAssertGreaterThan(m.points.first { $0.entity.id == "blue-badge" }!.x, 0.3)
        XCTAssertLessThan(m.points.first { $0.entity.id == "safeguarding" }!.x, 0.3)
    }

    func testQuadrantProbabilitiesCountDraws() throws {
        // With the x threshold at 0, every draw is on the high side: only automate-first and opportunistic occur,
        // and with the y threshold at 0 every draw is automate-first.
        let scenario = try ScenarioLoader.parse(MappingEngineTests.yaml)
        var options = MappingOptions(draws: 3_000, seed: 8, threads: 2)
        options.thresholds = MatrixThresholds(probability: 0, value: 0)
        let m = try MappingEngine.run(scenario, options: options).matrix(level: .organisation, view: .probability)
        for p in m.points {
            XCTAssertEqual(p.quadrant, .automateFirst)
            XCTAssertEqual(p.confidence, 1)
        }
    }

    /// Left unset, the risk–return view splits at break-even (NPV = 0), not at the median; `return: median` and
    /// the probability view's value threshold give the median of the entities' expected values; every matrix says
    /// which basis it uses.
    func testThresholdDefaultsAndTheirBasis() throws {
        let scenario = try ScenarioLoader.parse(MappingEngineTests.yaml)
        let result = try MappingEngine.run(scenario, options: MappingOptions(draws: 2_000, seed: 8, threads: 2))
        let rr = result.matrix(level: .service, view: .riskReturn)
        XCTAssertEqual(rr.yThreshold, 0)
        XCTAssertEqual(rr.yThresholdBasis, .breakEven)
        XCTAssertEqual(rr.xThresholdBasis, .median)
        XCTAssert(rr.yThresholdMeaning.contains("break-even"), rr.yThresholdMeaning)
        let p = result.matrix(level: .service, view: .probability)
        XCTAssertEqual(p.xThreshold, 0.5)
        XCTAssertEqual(p.xThresholdBasis, .evenOdds)
        XCTAssertEqual(p.yThresholdBasis, .median)
        var median = MappingOptions(draws: 2_000, seed: 8, threads: 2)
        median.thresholds = MatrixThresholds(probability: 0.3, returnAtMedian: true)
        let atMedian = try MappingEngine.run(scenario, options: median)
        let m = atMedian.matrix(level: .service, view: .riskReturn)
        XCTAssertEqual(m.yThresholdBasis, .median)
        // The median of the services' closed-form expected NPVs: half are at or above it (the means agree to MC error).
        let above = m.points.filter { $0.y >= m.yThreshold }.count
        XCTAssertLessThanOrEqual(abs(2 * above - m.points.count), 2, "\(above) of \(m.points.count) at or above the median")
        XCTAssertEqual(atMedian.matrix(level: .service, view: .probability).xThresholdBasis, .onsMedium)
        // The same scenario with `return: 0` given explicitly: the same split, but said to be set.
        median.thresholds = MatrixThresholds(return: 0)
        let given = try MappingEngine.run(scenario, options: median).matrix(level: .service, view: .riskReturn)
        XCTAssertEqual(given.points.map(\.quadrant), rr.points.map(\.quadrant))
        XCTAssertEqual(given.yThresholdBasis, .set)
    }

    /// Every risk measure grows with risk: CVaR is the expected loss in the worst 5% of draws, never negative,
    /// so a large service whose worst draws still gain is not drawn as safer than a small one for its size.
    func testRiskMeasuresAreLossesAndBorderlineIsBelowSixtyPercent() throws {
        let scenario = try ScenarioLoader.parse(MappingEngineTests.yaml)
        let result = try MappingEngine.run(scenario, options: MappingOptions(draws: 2_000, seed: 8, threads: 2))
        for level in [Level.service, .role, .organisation] {
            let m = result.matrix(level: level, view: .riskReturn, risk: .cvar)
            for point in m.points {
                let npv = result.summary(level: level, id: point.entity.id, .npv)!
                XCTAssertEqual(point.x, max(0, -npv.cvar5))
                XCTAssertGreaterThanOrEqual(point.x, 0)
            }
        }
        let m = result.matrix(level: .service, view: .probability)
        for point in m.points { XCTAssertEqual(point.isBorderline, point.confidence < 0.6) }
    }
}

import DXSampling
import DXScenario
import DXTestSupport
import XCTest

final class ScenarioLoadingTests: XCTestCase {
    func testDefaultsAndParametrisations() throws {
        let s = try ScenarioLoader.parse(MalformedScenarioTests.base)
        XCTAssertEqual(s.horizon, 5)
        XCTAssertEqual(s.discountRate, 0.03)
        XCTAssertEqual(s.correlation, Correlation())
        let appeals = s.services[0].tasks[1]
        XCTAssertEqual(appeals.realisation, .constant(1))
        XCTAssertEqual(appeals.adoptionYear, .constant(1))
        XCTAssertEqual(appeals.implementationCost, .constant(0))
        XCTAssertEqual(s.automation(of: appeals)!.mean, 0.62, accuracy: 1e-12)
        XCTAssertEqual(s.services[0].tasks[0].implementationCost.quantile(0.95), 250_000, accuracy: 1e-4)
        XCTAssertEqual(s.organisations[0].name, "essex", "name defaults to the id")
    }

    func testBundledScenariosValidate() throws {
        for name in ["italian-pa.yaml", "county-councils.yaml"] {
            let s = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/\(name)").path)
            XCTAssertFalse(s.services.isEmpty, name)
            XCTAssertEqual(s.matrix.probabilityThreshold, 0.3, name)
        }
        let catalyst = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/catalyst.yaml").path)
        XCTAssertEqual(catalyst.barriers.count, 6)
        XCTAssertEqual(catalyst.routines.count, 5)
        XCTAssertEqual(catalyst.programmes.map(\.id), ["none", "onsite-benefits", "all-five"])
        XCTAssertNotNil(catalyst.workforce)
    }
}

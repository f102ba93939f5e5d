import DXEngine
import DXReport
import DXScenario
import DXTestSupport
import Foundation
import XCTest

/// The README's Swift API example compiles and runs as written: its code stands below between the markers, and a
/// test checks the README shows exactly that code (after the imports the README lists).
final class ReadmeExampleTests: XCTestCase {
    func readmeExample() throws {
        // README begin
        let path = "Scenarios/county-councils.yaml"
        let scenario = try ScenarioLoader.load(path: path)
        var options = MappingOptions(draws: 20_000, seed: 7)
        options.thresholds = MatrixThresholds(probability: 0.3)
        let result = try MappingEngine.run(scenario, options: options)

        let npv = result.summary(level: .organisation, id: "essex", .npv)!
        print(npv.mean, npv.p5, npv.p95, npv.pLoss, npv.cvar5)

        let matrix = result.matrix(level: .service, view: .riskReturn, risk: .cvar)
        for point in matrix.points { print(point.entity.name, point.quadrant, point.confidence) }
        let record = RunRecord(command: "api", scenarioPath: path, scenarioBytes: try ScenarioLoader.read(path: path),
                               result: result, matrix: matrix)
        try MappingOutputs.write(result: result, matrix: matrix, run: record, to: "out")
        // README end
    }

    func testTheReadmeShowsThisCodeAndItRuns() throws {
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let region = source.components(separatedBy: "// README begin\n")[1].components(separatedBy: "        // README end")[0]
        let code = region.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0) }
            .joined(separator: "\n")
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let expected = "```swift\nimport DXEngine\nimport DXReport\nimport DXScenario\nimport Foundation\n\n" + code + "```\n"
        XCTAssert(readme.contains(expected), "the README's Swift API example should read:\n\(expected)")

        // Run it where the README says: beside a Scenarios folder, writing out/.
        let dir = TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: dir.path("Scenarios"), withDestinationPath: packageRoot.appendingPathComponent("Scenarios").path)
        let previous = FileManager.default.currentDirectoryPath
        XCTAssert(FileManager.default.changeCurrentDirectoryPath(dir.url.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        try readmeExample()
        for file in ["summary.csv", "matrix.csv", "matrix.svg", "run.json"] {
            XCTAssert(FileManager.default.fileExists(atPath: dir.path("out/\(file)")), file)
        }
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("out/run.json")))) as! [String: Any]
        XCTAssertEqual((run["scenario_sha256"] as? String)?.count, 64)
    }
}

import DXTestSupport
import Foundation
import XCTest

/// The Swift API example (docs/reference/swift-api.md) compiles with `import DXMap` alone and runs as written, from a
/// folder beside the bundled scenarios. DocumentationTests checks the page shows exactly SwiftAPIExample.swift's code.
final class SwiftAPIExampleTests: XCTestCase {
    func testTheSwiftAPIExampleRuns() throws {
        // Run it where the page says: beside a Scenarios folder, writing out/.
        let dir = TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: dir.path("Scenarios"), withDestinationPath: packageRoot.appendingPathComponent("Scenarios").path)
        let previous = FileManager.default.currentDirectoryPath
        XCTAssert(FileManager.default.changeCurrentDirectoryPath(dir.url.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        try swiftAPIExample()
        try catalogueExample()
        for file in ["summary.csv", "matrix.csv", "matrix.svg", "run.json"] {
            XCTAssert(FileManager.default.fileExists(atPath: dir.path("out/\(file)")), file)
        }
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("out/run.json")))) as! [String: Any]
        XCTAssertEqual((run["scenario_sha256"] as? String)?.count, 64)
    }
}

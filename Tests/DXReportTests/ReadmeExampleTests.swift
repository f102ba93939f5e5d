import DXTestSupport
import Foundation
import XCTest

/// The README's Swift API example compiles with `import DXMap` alone and runs as written: its code stands in
/// ReadmeExample.swift between the markers, and the test checks the README shows exactly that code.
final class ReadmeExampleTests: XCTestCase {
    func testTheReadmeShowsThisCodeAndItRuns() throws {
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ReadmeExample.swift"),
                                encoding: .utf8)
        let region = source.components(separatedBy: "// README begin\n")[1].components(separatedBy: "    // README end")[0]
        let code = region.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }
            .joined(separator: "\n")
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let expected = "```swift\nimport DXMap\n\n" + code + "```\n"
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

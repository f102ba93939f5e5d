import DXScenario
import Foundation
import XCTest

/// One malformed variant of a valid base file: replace `replace` by `with`, and expect an issue at `line`
/// naming field `path` with a message containing `message`.
public struct MalformedCase: Sendable {
    public let name, replace, with: String
    public let line: Int
    public let path, message: String

    public init(name: String, replace: String, with: String, line: Int, path: String, message: String) {
        (self.name, self.replace, self.with, self.line, self.path, self.message) = (name, replace, with, line, path, message)
    }
}

/// Checks every case of a malformed-scenario corpus: the base must contain the text each case replaces,
/// and the edited file must be refused with a ``ScenarioError`` that reports the expected line, path and
/// message, every issue located in `file`, and nothing else thrown.
public func assertEveryCaseIsReported(_ cases: [MalformedCase], base: String, file: String = "case.yaml",
                                      sourceFile: StaticString = #filePath, sourceLine: UInt = #line) {
    XCTAssertNoThrow(try ScenarioLoader.parse(base, file: "base.yaml"), "the base itself must be valid", file: sourceFile, line: sourceLine)
    exportCorpus(cases, base: base, suite: URL(fileURLWithPath: "\(sourceFile)").deletingPathExtension().lastPathComponent)
    for c in cases {
        XCTAssert(base.contains(c.replace), "\(c.name): base lacks '\(c.replace)'", file: sourceFile, line: sourceLine)
        do {
            _ = try ScenarioLoader.parse(base.replacingOccurrences(of: c.replace, with: c.with), file: file)
            XCTFail("\(c.name): accepted", file: sourceFile, line: sourceLine)
        } catch let error as ScenarioError {
            let match = error.issues.first { $0.location.line == c.line && $0.path == c.path && $0.message.contains(c.message) }
            XCTAssertNotNil(match, "\(c.name): expected line \(c.line), path '\(c.path)', message containing '\(c.message)'; got:\n\(error)",
                            file: sourceFile, line: sourceLine)
            XCTAssert(error.issues.allSatisfy { $0.location.file == file && $0.location.column >= 1 }, c.name, file: sourceFile, line: sourceLine)
            XCTAssert(error.description.hasPrefix("\(file):"), "\(c.name): \(error.description)", file: sourceFile, line: sourceLine)
        } catch {
            XCTFail("\(c.name): threw \(type(of: error)) instead of a ScenarioError: \(error)", file: sourceFile, line: sourceLine)
        }
    }
}

/// With `DXMAP_CORPUS_DIR` set (as `make test` does), writes each case's file, `SUITE--NAME.yaml`, and what dxmap
/// says of it, `SUITE--NAME.json`, into that directory: the JSON Schema check (Tests/python/check_schema.py)
/// makes sure the schema refuses every case it can express.
func exportCorpus(_ cases: [MalformedCase], base: String, suite: String) {
    guard let directory = ProcessInfo.processInfo.environment["DXMAP_CORPUS_DIR"], !directory.isEmpty else { return }
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for c in cases {
        let stem = "\(directory)/\(suite)--\(c.name.replacingOccurrences(of: "/", with: "-"))"
        let about = ["suite": suite, "name": c.name, "line": "\(c.line)", "path": c.path, "message": c.message]
        try? base.replacingOccurrences(of: c.replace, with: c.with).write(toFile: stem + ".yaml", atomically: true, encoding: .utf8)
        if let json = try? JSONSerialization.data(withJSONObject: about, options: [.sortedKeys]) {
            try? json.write(to: URL(fileURLWithPath: stem + ".json"))
        }
    }
}

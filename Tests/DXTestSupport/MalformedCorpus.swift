import DXScenario
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

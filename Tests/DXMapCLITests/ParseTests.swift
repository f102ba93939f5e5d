import ArgumentParser
import DXExperiments
import DXScenario
@testable import dxmap
import DXSupport
import XCTest

/// The command line parsed in process, as swift-argument-parser's own test helpers do (`AssertParse` wraps
/// `parseAsRoot`; the helpers are not a product other packages can use): what each flag becomes, and the message
/// and exit status of a bad one, without starting a process.
final class ParseTests: XCTestCase {
    func parse<C: ParsableCommand>(_ arguments: [String], as _: C.Type = C.self) throws -> C {
        let parsed = try DXMapCommand.parseAsRoot(arguments)
        return try XCTUnwrap(parsed as? C, "parsed as \(type(of: parsed))")
    }

    /// The message and exit status ArgumentParser gives for `arguments` (which must fail to parse or validate).
    func failure(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> (message: String, status: Int32) {
        do {
            var command = try DXMapCommand.parseAsRoot(arguments)
            try command.validate()
            XCTFail("\(arguments) parsed", file: file, line: line)
            return ("", 0)
        } catch {
            return (DXMapCommand.message(for: error), DXMapCommand.exitCode(for: error).rawValue)
        }
    }

    func testDefaultsComeFromTheLibrary() throws {
        let map = try parse(["map", "s.yaml"], as: MapCommand.self)
        XCTAssertEqual(map.common.seed, DXMapDefaults.seed)
        XCTAssertEqual(map.common.draws, 10_000)
        XCTAssertNil(map.level, "the level is the scenario's, resolved by MappingResult.matrix(), unless given")
        XCTAssertNil(map.view)
        let chosen = try parse(["map", "s.yaml", "--level", "role", "--view", "risk-return", "--risk", "cvar", "--seed", "7"],
                               as: MapCommand.self)
        XCTAssertEqual(chosen.level, .role)
        XCTAssertEqual(chosen.view, .riskReturn)
        XCTAssertEqual(chosen.risk, .cvar)
        XCTAssertEqual(chosen.common.seed, 7)
        let study = try parse(["sensitivity", "w.yaml", "--method", "morris", "--db", "m.sqlite"], as: SensitivityCommand.self)
        XCTAssertEqual(study.sensitivityMethod, .morris(trajectories: 20, levels: 4))
        let sobol = try parse(["sensitivity", "w.yaml", "--method", "sobol", "--db", "s.sqlite", "--no-scramble"], as: SensitivityCommand.self)
        XCTAssertEqual(sobol.sensitivityMethod, .sobol(baseRows: SensitivityMethod.defaultSobolBase, secondOrder: false, scramble: false))
        let sweep = try parse(["sweep", "w.yaml", "--db", "r.sqlite", "--shard", "3/8"], as: SweepCommand.self)
        XCTAssertEqual(sweep.points.selectedShard, Shard("3/8"))
    }

    func testBadFlagsSayWhatIsWrongAndExit64() {
        let cases: [([String], String)] = [
            (["map", "s.yaml", "--draws", "-1"], "--draws must be between 2 and 1,000,000,000, found -1"),
            (["map", "s.yaml", "--threads", "-3"], "--threads must be between 1 and 1024, found -3"),
            (["map", "s.yaml", "--seed", "-1"], "--seed must be a whole number from 0 to 18446744073709551615, found -1"),
            (["map", "s.yaml", "--level", "task"], "--level must be service, role or organisation"),
            (["map", "s.yaml", "--out", ""], "--out needs a directory path, found an empty one"),
            (["sweep", "w.yaml", "--db", ":memory:"], "--db needs a file path"),
            (["sweep", "w.yaml", "--db", "r.sqlite", "--shard", "-1/2"], "--shard must be K/N with 0 ≤ K < N, found -1/2"),
            (["sensitivity", "w.yaml", "--method", "sobol", "--base", "100", "--db", "s.sqlite"], "power of two"),
            (["discover", "r.sqlite", "--output", "total.npv"], "give exactly one of --above T or --below T"),
        ]
        for (arguments, expected) in cases {
            let (message, status) = failure(arguments)
            XCTAssertEqual(status, 64, "\(arguments): \(message)")
            XCTAssert(message.contains(expected), "\(arguments): \(message)")
        }
    }

    /// Help lists what a flag takes, not what it refuses: `--level` (map, voi) names services, roles and organisations.
    func testHelpListsOnlyTheLevelsAMatrixTakes() {
        for command in [MapCommand.self, VOICommand.self] as [ParsableCommand.Type] {
            let help = DXMapCommand.helpMessage(for: command, columns: 200)
            let level = help.components(separatedBy: "\n").first { $0.contains("--level <level>") } ?? ""
            XCTAssert(level.contains("values: service, role, organisation"), level)
            XCTAssertFalse(level.contains("task") || level.contains("total"), level)
        }
    }

    /// The progress bar fits the terminal it redraws on: one line of at most columns − 1 characters at any width, the
    /// whole bar when there is room.
    func testProgressBarFitsEveryWidth() {
        for columns in [1, 20, 40, 60, 80, 100, 200] {
            for (done, total) in [(0, 9216), (4608, 9216), (9216, 9216)] {
                let line = ProgressBar.line(label: "sensitivity-italian-pa", done: done, total: total, rate: "39.86 points/s",
                                            elapsed: 120.5, columns: columns)
                XCTAssertLessThanOrEqual(line.count, max(columns - 1, 1), "\(columns) columns: \(line)")
                XCTAssertFalse(line.contains("\n"))
            }
        }
        let wide = ProgressBar.line(label: "mapping", done: 5, total: 10, rate: nil, elapsed: 2, columns: 200)
        XCTAssert(wide.contains(String(repeating: "█", count: 15) + String(repeating: "░", count: 15)) && wide.contains("ETA"), wide)
        let narrow = ProgressBar.line(label: "mapping", done: 5, total: 10, rate: "1.00 points/s", elapsed: 2, columns: 60)
        XCTAssert(narrow.contains("ETA") && narrow.count <= 59, narrow)
    }

    /// Every error category has its own documented status, and the usage category is ArgumentParser's own 64.
    func testEachCategoryHasOneStatus() {
        let statuses = ErrorCategory.allCases.map { ExitStatus.code($0).rawValue }
        XCTAssertEqual(statuses, [64, 65, 66, 69, 70, 73, 74])
        XCTAssertEqual(Set(statuses).count, ErrorCategory.allCases.count)
        XCTAssertEqual(ExitStatus.code(.usage).rawValue, DXMapCommand.exitCode(for: ValidationError("x")).rawValue)
    }
}

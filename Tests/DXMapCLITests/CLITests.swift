import DXExperiments
import DXSupport
import DXTestSupport
import Foundation
import XCTest

/// The `dxmap` executable end to end, as a user runs it.
final class CLITests: CLITestCase {
    /// `--sampler gsl-direct` is the sampling of every release before inversion: the files it writes are those the
    /// dxmap of commit 3d3ef26 wrote, byte for byte (Tests/fixtures/gsl-direct/README.md), for map, redeploy, adopt and
    /// voi — on one thread where the record was written on two.
    func testGSLDirectReproducesEarlierReleasesByteForByte() throws {
        let dir = TemporaryDirectory()
        let fixtures = packageRoot.appendingPathComponent("Tests/fixtures/gsl-direct")
        let runs: [(String, String, String)] = [
            ("map", "Scenarios/italian-pa.yaml", "3000"), ("redeploy", "Scenarios/county-councils-workforce.yaml", "400"),
            ("adopt", "Scenarios/catalyst.yaml", "400"), ("voi", "Scenarios/italian-registry-pilot.yaml", "300"),
        ]
        for (command, scenario, draws) in runs {
            let r = try dxmap([command, scenario, "--draws", draws, "--seed", "11", "--threads", "1", "--sampler", "gsl-direct",
                               "--out", dir.url.appendingPathComponent(command).path])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let manifest = try String(contentsOf: fixtures.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        let expected = manifest.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        XCTAssertEqual(expected.count, 9)
        // The comparison files gained columns after the old ones (issue 29: the difference across draws), and the old
        // columns were renamed for what they are; redeploy.csv gained calendar_year at its end (issue 30); their
        // numbers are the old files', byte for byte.
        let formerly = ["redeploy/policies.csv": "policy,metric,mean,baseline_mean,difference,ci_low,ci_high",
                        // issue 30: calendar_year after the old columns
                        "redeploy/redeploy.csv": "policy,period,year,scope,organisation,role,metric,kind,unit,mean,sd,p5,p50,p95",
                        "adopt/programmes.csv": "programme,level,id,metric,mean,sd,p5,p50,p95,diff_mean,diff_low,diff_high"]
        // The summary gained rows for metrics added since (issue 30: the Italian scenario's output costs); every row it
        // had is the old file's, byte for byte.
        let added = ["output_cost", "output_automation_share"]
        func withoutAdded(_ text: String) -> String {
            text.split(separator: "\n").filter { row in !added.contains { row.contains(",\($0),") } }.map { $0 + "\n" }.joined()
        }
        for line in expected {
            let (hash, file) = (String(line[0]), String(line[1]))
            var written = try Data(contentsOf: dir.url.appendingPathComponent(file))
            if file == "map/summary.csv" { written = Data(withoutAdded(String(decoding: written, as: UTF8.self)).utf8) }
            if let header = formerly[file] {
                let columns = header.split(separator: ",").count
                let rows = String(decoding: written, as: UTF8.self).split(separator: "\n").dropFirst()
                    .map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(columns).joined(separator: ",") }
                written = Data(([header] + rows).map { $0 + "\n" }.joined().utf8)
            }
            XCTAssertEqual(SHA256.hex(written), hash, "\(file) is not what earlier releases wrote")
        }
        // The summary in full, so that a failure names the first row that moved.
        let old = try String(contentsOf: fixtures.appendingPathComponent("map-summary.csv"), encoding: .utf8).split(separator: "\n")
        let new = withoutAdded(try String(contentsOf: dir.url.appendingPathComponent("map/summary.csv"), encoding: .utf8))
            .split(separator: "\n")
        XCTAssertEqual(old.count, new.count)
        if let k = zip(old, new).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset { XCTFail("summary.csv row \(k + 1): \(old[k]) became \(new[k])") }
        // The default is inversion now: the same run's numbers move (by Monte Carlo noise only; tested elsewhere).
        let inverted = try dxmap(["map", "Scenarios/italian-pa.yaml", "--draws", "3000", "--seed", "11", "--format", "csv"])
        XCTAssertEqual(inverted.status, 0, inverted.stderr)
        XCTAssertNotEqual(inverted.stdout.split(separator: "\n").dropFirst().first, old.dropFirst().first)
    }

    func testMapWritesEveryFileForBothBundledScenarios() throws {
        for scenario in ["Scenarios/italian-pa.yaml", "Scenarios/county-councils.yaml"] {
            let dir = TemporaryDirectory()
            let r = try dxmap(["map", scenario, "--draws", "3000", "--out", dir.path("out")])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssert(r.stdout.contains("service matrix, probability view"), r.stdout)
            XCTAssert(r.stdout.contains("seed 20240216"), "the default seed is printed")
            XCTAssertFalse(r.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
            for (file, header) in [("summary.csv", "level,id,name,metric,mean,sd,p5,p25,p50,p75,p95,p_loss,cvar5"),
                                   ("matrix.csv", """
                                       level,id,name,x,y,quadrant,p_automate_first,p_pilot,p_opportunistic,p_leave,borderline,\
                                       view,x_quantity,y_quantity,x_threshold,x_threshold_basis,y_threshold,y_threshold_basis,currency
                                       """)] {
                let text = try String(contentsOfFile: dir.path("out/\(file)"), encoding: .utf8)
                XCTAssertEqual(text.split(separator: "\n").first.map(String.init), header, "\(scenario) \(file)")
            }
            let svg = try SVGDocument(contentsOfFile: dir.path("out/matrix.svg"))
            let services = try String(contentsOfFile: dir.path("out/matrix.csv"), encoding: .utf8).split(separator: "\n").count - 1
            let bubbles = svg.all("circle").filter { $0.attributes["class"] == "bubble" }
            XCTAssertEqual(bubbles.count, services, "\(scenario): one bubble per service")
            XCTAssertEqual(svg.all("title").filter { $0.text.contains("%") }.count, services, "\(scenario): each with its tooltip")
            for quadrant in ["automate first", "pilot", "opportunistic", "leave"] { XCTAssert(svg.hasText(quadrant), "\(scenario): \(quadrant)") }
            XCTAssert(svg.outsideCanvas().isEmpty, "\(scenario): \(svg.outsideCanvas().prefix(3).map(\.attributes))")
            let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("out/run.json")))) as! [String: Any]
            XCTAssertEqual(run["scenario"] as? String, scenario)
            XCTAssertEqual((run["scenario_sha256"] as? String)?.count, 64)
            XCTAssertEqual(run["seed"] as? Int, 20240216)
            XCTAssertNotNil(run["wall_time_seconds"] as? Double)
            XCTAssertEqual(run["task_percentiles"] as? Bool, false)
        }
    }

    /// A task's percentiles cost a sketch per series: `map` writes them only when asked, and says which in run.json.
    func testTaskPercentilesOnlyWhenAsked() throws {
        func summary(_ extra: [String]) throws -> (rows: [[String]], run: [String: Any]) {
            let dir = TemporaryDirectory()
            let r = try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "2000", "--out", dir.path("out")] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertFalse(r.stderr.contains("warning"), r.stderr)
            let text = try String(contentsOfFile: dir.path("out/summary.csv"), encoding: .utf8)
            let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("out/run.json")))) as! [String: Any]
            return (text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }, run)
        }
        let (lean, leanRun) = try summary([]), (full, fullRun) = try summary(["--task-percentiles"])
        XCTAssertEqual(leanRun["task_percentiles"] as? Bool, false)
        XCTAssertEqual(fullRun["task_percentiles"] as? Bool, true)
        XCTAssertEqual(lean.count, full.count)
        let p5 = 6, p95 = 10
        for (a, b) in zip(lean, full) {
            let varies = b[p5] != b[p95]
            if a[0] == "task" && varies {
                XCTAssertEqual(Array(a[..<6]), Array(b[..<6]), "a task's mean and sd do not depend on the flag")
                XCTAssertEqual(a[p5...p95].joined(), "", "\(a[1]) \(a[3]): no percentiles without the flag")
                XCTAssertFalse(b[p5].isEmpty)
            } else {
                XCTAssertEqual(a, b, "every other row is the same")
            }
        }
        XCTAssert(lean.contains { $0[0] == "task" && $0[3] == "npv" && !$0[11].isEmpty }, "a task's P(loss) is always there")
    }

    func testOutputIsIdenticalForAnyThreadCount() throws {
        let runs = try [1, 2, 7].map { try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "5000", "--threads", "\($0)", "--format", "csv"]) }
        XCTAssertEqual(runs[0].status, 0, runs[0].stderr)
        XCTAssertEqual(runs[1].stdout, runs[0].stdout)
        XCTAssertEqual(runs[2].stdout, runs[0].stdout)
    }

    func testFormatsForPiping() throws {
        let csv = try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "2000", "--format", "csv", "--level", "organisation"])
        XCTAssertEqual(csv.stdout.split(separator: "\n").count, 3)
        let json = try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "2000", "--format", "json", "--view", "risk-return", "--risk", "loss"])
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((doc["matrix"] as! [String: Any])["view"] as? String, "risk-return")
        // Seven metrics, and the two of the value of outputs (its care and children's services give output costs).
        XCTAssertEqual((doc["summary"] as! [Any]).count, (22 + 14 + 9 + 2 + 1) * 9)
    }

    func testValidate() throws {
        let ok = try dxmap(["validate", "Scenarios/italian-pa.yaml"])
        XCTAssertEqual(ok.status, 0)
        XCTAssert(ok.stdout.contains("valid"))
        let dir = TemporaryDirectory()
        let bad = try dir.write(ScenarioFixtures.corpusBase.replacingOccurrences(of: "fte: 14", with: "fte: -3"), to: "bad.yaml")
        let r = try dxmap(["validate", bad])
        XCTAssertEqual(r.status, 65)
        XCTAssert(r.stderr.contains("bad.yaml:17:14: error: services[blue-badge].tasks[0].fte: expected a positive number"), r.stderr)
    }

    func testBadInputNeverCrashesAndLosesNothing() throws {
        let dir = TemporaryDirectory()
        // A previous run's output must survive a failing run.
        let first = try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "2000", "--out", dir.path("out")])
        XCTAssertEqual(first.status, 0, first.stderr)
        let before = try String(contentsOfFile: dir.path("out/summary.csv"), encoding: .utf8)
        let bad = try dir.write("dxmap: 1\nname: broken\norganisations: []\n", to: "bad.yaml")
        let cases: [([String], Int32, String)] = [
            (["map", bad, "--out", dir.path("out")], 65, "bad.yaml:3:16: error: organisations: expected a non-empty list"),
            (["map", dir.path("missing.yaml")], 66, "cannot read the file"),
            (["map", "Scenarios/county-councils.yaml", "--draws", "0"], 64, "--draws must be between 2"),
            (["map", "Scenarios/county-councils.yaml", "--threads", "0"], 64, "--threads must be between 1"),
            (["map", "Scenarios/county-councils.yaml", "--view", "sideways"], 64, "sideways"),
            (["map", "Scenarios/county-councils.yaml", "--level", "task"], 64, "--level must be service, role or organisation"),
            (["map", "Scenarios/county-councils.yaml", "--x-threshold", "3"], 64, "expected 0…1"),
            (["map", "Scenarios/county-councils.yaml", "--x-threshold", "ons-low"], 64,
             "--x-threshold must be a finite number or one of median, ons-high, ons-medium, found \"ons-low\""),
            (["map", "Scenarios/county-councils.yaml", "--y-threshold", "nan"], 64, "--y-threshold must be a finite number"),
            (["map", "Scenarios/county-councils.yaml", "--x-threshold", "median"], 64, "one of ons-high, ons-medium"),
            (["map", "Scenarios/county-councils.yaml", "--draws", "2000", "--out", "/proc/dxmap/out"], 73, "cannot"),
        ]
        for (arguments, status, message) in cases {
            let r = try dxmap(arguments)
            XCTAssertEqual(r.status, status, "\(arguments): \(r.stderr)")
            XCTAssert(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        XCTAssertEqual(try String(contentsOfFile: dir.path("out/summary.csv"), encoding: .utf8), before)
    }

    /// Threshold words on the command line: the ONS bands for x, the median or break-even for y; each file says
    /// which is in force.
    func testThresholdWordsOnTheCommandLine() throws {
        let dir = TemporaryDirectory()
        let ons = try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "500", "--x-threshold", "ons-high", "--out", dir.path("p")])
        XCTAssertEqual(ons.status, 0, ons.stderr)
        XCTAssert(ons.stdout.contains("x threshold: 0.70, the ONS boundary between medium and high risk"), ons.stdout)
        let matrix = try String(contentsOfFile: dir.path("p/matrix.csv"), encoding: .utf8)
        XCTAssert(matrix.contains(",0.7,ons-high,"), matrix)
        let median = try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "500", "--view", "risk-return", "--y-threshold", "median",
                                "--format", "json"])
        XCTAssertEqual(median.status, 0, median.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(median.stdout.utf8)) as! [String: Any]
        let run = json["run"] as! [String: Any]
        let y = (run["matrix"] as! [String: Any])["y"] as! [String: Any]
        XCTAssertEqual(y["threshold_basis"] as? String, "median")
        XCTAssertGreaterThan(y["threshold"] as! Double, 0, "the median NPV of services that pay back")
        let plain = try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "500", "--view", "risk-return"])
        XCTAssert(plain.stdout.contains("y threshold: NPV ≥ 0.00 GBP, break-even (default)"), plain.stdout)
    }

    /// On a real terminal (made by `script`), long runs show a progress bar and the table is coloured,
    /// unless NO_COLOR is set.
    func testTerminalGetsProgressBarAndColourUnlessNoColor() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("util-linux script(1) is not installed") }
        let command = "\(Self.binary.path) map Scenarios/county-councils.yaml --draws 20000"
        let tty = try run("/usr/bin/script", ["-qec", command, "/dev/null"], unset: ["NO_COLOR"])
        XCTAssertEqual(tty.status, 0, tty.stderr)
        XCTAssert(tty.stdout.contains("ETA"), "progress bar on a terminal for a run over a second")
        XCTAssert(tty.stdout.contains("\u{1B}[32mautomate-first"), "quadrants coloured on a terminal: \(tty.stdout.suffix(600))")
        let plain = try run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: ["NO_COLOR": "1"])
        XCTAssertFalse(plain.stdout.contains("\u{1B}[32m"), "NO_COLOR is honoured")
        // In a 60-column terminal every redraw of the bar stays on one line (a wrapped bar leaves a line per update).
        let narrow = try run("/usr/bin/script", ["-qec", "stty cols 60; " + command, "/dev/null"], unset: ["NO_COLOR"])
        XCTAssertEqual(narrow.status, 0, narrow.stderr)
        let redraws = narrow.stdout.components(separatedBy: "\r").filter { $0.contains("ETA") }
        XCTAssertFalse(redraws.isEmpty, "the bar was drawn")
        for redraw in redraws { XCTAssertLessThan(redraw.count, 60, redraw) }
    }

    /// Every command's terminal output fits the width COLUMNS gives (80 and 100; standard output is a pipe here):
    /// names cut, tables split, prose wrapped, and never a number cut.
    func testTablesFitColumns() throws {
        let commands: [[String]] = [
            ["map", "Scenarios/italian-pa.yaml", "--draws", "400"],
            ["map", "Scenarios/catalyst.yaml", "--draws", "400", "--programme", "all-five"],
            ["redeploy", "Scenarios/county-councils-workforce.yaml", "--draws", "400"],
            ["adopt", "Scenarios/catalyst.yaml", "--draws", "400"],
            ["voi", "Scenarios/italian-registry-pilot.yaml", "--draws", "400"],
        ]
        for columns in [80, 100] {
            for arguments in commands {
                let r = try dxmap(arguments, environment: ["COLUMNS": "\(columns)"])
                XCTAssertEqual(r.status, 0, r.stderr)
                for line in r.stdout.components(separatedBy: "\n") {
                    XCTAssertLessThanOrEqual(line.count, columns, "\(arguments.prefix(2)) at \(columns): \(line)")
                }
            }
        }
        // The comparison at 80 columns keeps every number whole: the table is split rather than cut.
        let narrow = try dxmap(["redeploy", "Scenarios/county-councils-workforce.yaml", "--draws", "400"], environment: ["COLUMNS": "80"])
        let wide = try dxmap(["redeploy", "Scenarios/county-councils-workforce.yaml", "--draws", "400"], environment: ["COLUMNS": "200"])
        let tables = wide.stdout.components(separatedBy: "\n").dropFirst(2).joined(separator: "\n")   // not the run's wall time
        for number in tables.components(separatedBy: CharacterSet(charactersIn: " ()[],\n")) where number.first?.isNumber == true {
            XCTAssert(narrow.stdout.contains(number), "\(number) at 80 columns")
        }
    }

    /// --target moves the line the reports read "above it in X% of futures" against, and run.json records it; voi,
    /// which values decisions rather than one output, refuses it.
    func testTargetIsReadInTheReportsDistributions() throws {
        let dir = TemporaryDirectory()
        for (command, scenario) in [("map", "Scenarios/italian-pa.yaml"), ("redeploy", "Scenarios/county-councils-workforce.yaml"),
                                    ("adopt", "Scenarios/catalyst.yaml")] {
            let plain = try dxmap([command, scenario, "--draws", "300", "--out", dir.path("\(command)-plain")])
            XCTAssertEqual(plain.status, 0, plain.stderr)
            let html = try String(contentsOfFile: dir.path("\(command)-plain/report.html"), encoding: .utf8)
            XCTAssert(html.contains("share of futures at or below") && html.contains("above break-even in"), command)
            let r = try dxmap([command, scenario, "--draws", "300", "--target", "5e6", "--out", dir.path(command)])
            XCTAssertEqual(r.status, 0, r.stderr)
            let targeted = try String(contentsOfFile: dir.path("\(command)/report.html"), encoding: .utf8)
            XCTAssert(targeted.contains("above the target 5.00M in"), command)
            let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("\(command)/run.json")))) as! [String: Any]
            XCTAssertEqual(run["target"] as? Double, 5e6, command)
            XCTAssert((run["arguments"] as? [String])?.contains("--target") == true, "the command line reproduces it")
        }
        let voi = try dxmap(["voi", "Scenarios/italian-registry-pilot.yaml", "--draws", "200", "--target", "1"])
        XCTAssertEqual(voi.status, 64)
        XCTAssert(voi.stderr.contains("--target applies to map, redeploy and adopt"), voi.stderr)
        let bad = try dxmap(["map", "Scenarios/italian-pa.yaml", "--target", "nan"])
        XCTAssertEqual(bad.status, 64, bad.stderr)
    }

    func testRedeployWritesEveryFileWithItsHeader() throws {
        let dir = TemporaryDirectory()
        let r = try dxmap(["redeploy", "Scenarios/county-councils-workforce.yaml", "--draws", "1500", "--out", dir.path("out")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(r.stdout.components(separatedBy: "\n").dropFirst().allSatisfy { $0.count <= 100 }, "tables fit 100 columns: \(r.stdout)")
        XCTAssert(r.stdout.contains("attrit."), "absorbed by attrition has a column")
        let wide = try dxmap(["redeploy", "Scenarios/county-councils-workforce.yaml", "--draws", "300", "--wide"])
        for policy in ["Redundancy only (absorption by attrition, nothing else)", "Internal redeployment", "Cross-organisation pool",
                       "Pool plus retraining budget"] {
            XCTAssert(wide.stdout.contains(policy), wide.stdout)
        }
        XCTAssert(wide.stdout.contains("absorbed by attrition") && wide.stdout.contains("better in"), wide.stdout)
        // Each policy against the first across futures: better in a share of them, by a p5-to-p95 range, beside the
        // mean's interval.
        XCTAssert(r.stdout.contains("outcome       better in"), r.stdout)
        XCTAssert(r.stdout.contains(" to ") && r.stdout.contains("[95% CI of mean]"), r.stdout)
        let redeploy = try String(contentsOfFile: dir.path("out/redeploy.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(String(redeploy[0]), "policy,period,year,scope,organisation,role,metric,kind,unit,mean,sd,p5,p50,p95,calendar_year")
        XCTAssert(redeploy.contains { $0.hasPrefix("redundancy-only,horizon,0,total,*,*,in_pool,stock,people,") }, "a horizon total stock row")
        XCTAssert(redeploy.contains { $0.hasPrefix("redundancy-only,year,2,organisation,") }, "a year row per organisation")
        XCTAssert(redeploy.contains { $0.hasPrefix("shared-pool,horizon,0,total,*,*,redundant,flow,people,") })
        XCTAssert(redeploy.contains { $0.hasPrefix("shared-pool,year,3,organisation,essex,*,redeployed_cross_org,flow,people,") })
        XCTAssert(redeploy.contains { $0.hasPrefix("pool-retraining,horizon,0,cell,suffolk,admin-officer,in_training,stock,people,") })
        XCTAssert(redeploy.contains { $0.hasPrefix("pool-retraining,year,1,role,*,admin-officer,net_saving,flow,GBP,") })
        XCTAssert(redeploy.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 15 })
        XCTAssert(redeploy.dropFirst().allSatisfy { $0.hasSuffix(",") }, "no calendar year without start_year")
        let policies = try String(contentsOfFile: dir.path("out/policies.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(String(policies[0]), "policy,metric,mean,baseline_mean,mean_difference,mean_difference_ci_low,"
                       + "mean_difference_ci_high,difference_p5,difference_p95,p_better,p_worse,p_tied")
        XCTAssertEqual(policies.count, 1 + 4 * 14)
        let chart = try SVGDocument(contentsOfFile: dir.path("out/redeploy.svg"))
        for policy in ["Redundancy only", "Cross-organisation pool"] { XCTAssert(chart.hasText(policy), policy) }
        XCTAssertGreaterThan(chart.all("title").filter { $0.text.contains("year 3") }.count, 0, "bars per year, with tooltips")
        XCTAssert(chart.outsideCanvas().isEmpty)
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("out/run.json")))) as! [String: Any]
        XCTAssertEqual(run["command"] as? String, "redeploy")
        XCTAssertEqual(run["policies"] as? [String], ["redundancy-only", "internal", "shared-pool", "pool-retraining"])
    }

    func testRedeployPolicySelectionFormatsAndErrors() throws {
        let both = try dxmap(["redeploy", "Scenarios/county-councils-workforce.yaml", "--draws", "1100", "--threads", "1",
                              "--policy", "shared-pool", "--policy", "redundancy-only", "--format", "csv"])
        XCTAssertEqual(both.status, 0, both.stderr)
        let lines = both.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 1 + 2 * 14)
        XCTAssert(lines[1].hasPrefix("shared-pool,displaced,"), "the first policy given is the baseline")
        let seven = try dxmap(["redeploy", "Scenarios/county-councils-workforce.yaml", "--draws", "1100", "--threads", "7",
                               "--policy", "shared-pool", "--policy", "redundancy-only", "--format", "csv"])
        XCTAssertEqual(seven.stdout, both.stdout, "identical for any thread count")
        let json = try dxmap(["redeploy", "Scenarios/county-councils-workforce.yaml", "--draws", "200", "--format", "json"])
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((doc["differences"] as! [Any]).count, 4 * 14)
        let unknown = try dxmap(["redeploy", "Scenarios/county-councils-workforce.yaml", "--policy", "nope"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssert(unknown.stderr.contains("no policy 'nope'"), unknown.stderr)
        let noWorkforce = try dxmap(["redeploy", "Scenarios/county-councils.yaml"])
        XCTAssertEqual(noWorkforce.status, 65)
        XCTAssert(noWorkforce.stderr.contains("no 'workforce:' section"), noWorkforce.stderr)
    }

    /// A sweep killed with SIGKILL mid-run loses at most the points in flight; --resume gives exactly the uninterrupted CSV.
    func testKillNineThenResumeGivesTheUninterruptedResult() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 120, draws: 2000)
        let full = try dxmap(["sweep", sweep, "--db", dir.path("full.sqlite")])
        XCTAssertEqual(full.status, 0, full.stderr)
        XCTAssert(full.stderr.contains("120 points run"), full.stderr)

        let survived = try killedPartWay(["sweep", sweep, "--db", dir.path("killed.sqlite")], database: dir.path("killed.sqlite"))
        XCTAssert((10..<120).contains(survived), "killed part-way: \(survived) points committed")

        let resumed = try dxmap(["sweep", sweep, "--db", dir.path("killed.sqlite"), "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssert(resumed.stderr.contains("\(120 - survived) points run, \(survived) already done"), resumed.stderr)
        for db in ["full", "killed"] {
            XCTAssertEqual(try dxmap(["export", dir.path("\(db).sqlite"), "--csv", dir.path(db)]).status, 0)
        }
        for file in ["design.csv", "results.csv"] {
            XCTAssertEqual(try String(contentsOfFile: dir.path("killed/\(file)"), encoding: .utf8),
                           try String(contentsOfFile: dir.path("full/\(file)"), encoding: .utf8), file)
        }
        let again = try dxmap(["sweep", sweep, "--db", dir.path("full.sqlite")])
        XCTAssertEqual(again.status, 73)
        XCTAssert(again.stderr.contains("pass --resume"), again.stderr)
    }

    func testSweepCommandLineShardsMergeAndSlurmScripts() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 9)
        XCTAssertEqual(try dxmap(["sweep", sweep, "--db", dir.path("all.sqlite"), "--jobs", "1"]).status, 0)
        for k in 0..<2 {
            let r = try dxmap(["sweep", sweep, "--db", dir.path("s\(k).sqlite"), "--shard", "\(k)/2"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let merge = try dxmap(["merge", dir.path("s0.sqlite"), dir.path("s1.sqlite"), "-o", dir.path("m.sqlite")])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssert(merge.stdout.contains("9 points"), merge.stdout)
        for db in ["all", "m"] {
            let export = try dxmap(["export", dir.path("\(db).sqlite"), "--csv", dir.path(db)])
            XCTAssertEqual(export.status, 0, export.stderr)
            // What the database holds on standard output; what was written on standard error, as every command says it.
            XCTAssert(export.stdout.hasPrefix("9 points run of 9, "), export.stdout)
            XCTAssert(export.stderr.contains("wrote ") && export.stderr.contains("run.json"), export.stderr)
        }
        XCTAssertEqual(try String(contentsOfFile: dir.path("m/results.csv"), encoding: .utf8),
                       try String(contentsOfFile: dir.path("all/results.csv"), encoding: .utf8))
        let scripts = try dxmap(["sweep", sweep, "--slurm", "4", "--db", dir.path("slurm")])
        XCTAssertEqual(scripts.status, 0, scripts.stderr)
        let array = try String(contentsOfFile: dir.path("slurm/sweep-array.sbatch"), encoding: .utf8)
        XCTAssert(array.contains("#SBATCH --array=0-3") && array.contains("--shard \"${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}\""), array)
        XCTAssert(try String(contentsOfFile: dir.path("slurm/merge.sbatch"), encoding: .utf8).contains("shard-3.sqlite"))
        let badShard = try dxmap(["sweep", sweep, "--db", dir.path("x.sqlite"), "--shard", "2/2"])
        XCTAssertEqual(badShard.status, 64)
        let bad = try dir.write(try String(contentsOfFile: sweep, encoding: .utf8)
            .replacingOccurrences(of: "outputs: [total.npv,", with: "outputs: [total.nothing,"), to: "bad.yaml")
        let badOutput = try dxmap(["sweep", bad, "--db", dir.path("y.sqlite")])
        XCTAssertEqual(badOutput.status, 65, "an output the sweep file names wrongly is an error in the file")
        XCTAssert(badOutput.stderr.contains("bad.yaml:14:11: error: outputs[0]: output 'total.nothing'"), badOutput.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("y.sqlite")), "nothing written before the outputs are known good")
    }

    /// The bundled scenarios run at the default draws and record them (their speed is measured in Benchmarks/).
    func testBundledScenariosRunAtDefaultDraws() throws {
        for scenario in ["Scenarios/italian-pa.yaml", "Scenarios/county-councils.yaml"] {
            let r = try dxmap(["map", scenario, "--format", "json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            let run = doc["run"] as! [String: Any]
            XCTAssertEqual(run["draws"] as? Int, 10_000)
        }
    }

    /// A sensitivity study killed part-way and resumed writes exactly the uninterrupted sensitivity.csv and points.csv.
    func testSensitivityKilledAndResumedGivesTheIdenticalAnalysis() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 2, draws: 2000)
        let args = ["sensitivity", sweep, "--method", "sobol", "--base", "32", "--resamples", "200"]
        let full = try dxmap(args + ["--db", dir.path("full.sqlite"), "--out", dir.path("full")])
        XCTAssertEqual(full.status, 0, full.stderr)
        XCTAssert(full.stderr.contains("note: the design: in"), "the file's own design is not used: \(full.stderr)")
        XCTAssert(full.stderr.contains("128 points run"), full.stderr)   // 32 rows × (2 + 2)
        XCTAssert(full.stdout.contains("total.npv") && full.stdout.contains("ST"), full.stdout)

        let survived = try killedPartWay(args + ["--db", dir.path("killed.sqlite"), "--out", dir.path("killed"), "--jobs", "1"],
                                         database: dir.path("killed.sqlite"))
        XCTAssert((10..<128).contains(survived), "killed part-way: \(survived) points committed")
        let unfinished = try dxmap(args + ["--db", dir.path("killed.sqlite"), "--out", dir.path("killed")])
        XCTAssertEqual(unfinished.status, 73, "an existing study needs --resume")
        let resumed = try dxmap(args + ["--db", dir.path("killed.sqlite"), "--out", dir.path("killed"), "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssert(resumed.stderr.contains("\(128 - survived) points run, \(survived) already done"), resumed.stderr)
        for file in ["sensitivity.csv", "points.csv"] {
            XCTAssertEqual(try String(contentsOfFile: dir.path("killed/\(file)"), encoding: .utf8),
                           try String(contentsOfFile: dir.path("full/\(file)"), encoding: .utf8), file)
        }
        let csv = try String(contentsOfFile: dir.path("full/sensitivity.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "output,parameter,method,index,value,ci_low,ci_high")
        XCTAssert(csv.contains { $0.hasPrefix("total.npv,speed,sobol,ST,") }, "\(csv.prefix(5))")
        // The chart ranks parameters by ST, as the table does, with capped whiskers, on an axis that ends near the
        // largest value or interval end (not at 1).
        let chart = try SVGDocument(contentsOfFile: dir.path("full/sobol.svg"))
        func st(_ output: String, _ parameter: String) -> (value: Double, high: Double) {
            let cells = csv.first { $0.hasPrefix("\(output),\(parameter),sobol,ST,") }!.split(separator: ",")
            return (Double(cells[4])!, Double(cells[6])!)
        }
        let labels = chart.texts.filter { ["speed", "size"].contains($0) }
        let npvOrder = st("total.npv", "speed").value >= st("total.npv", "size").value ? ["speed", "size"] : ["size", "speed"]
        XCTAssertEqual(Array(labels.prefix(2)), npvOrder, "total.npv's panel lists parameters by ST")
        let ticks = chart.texts.compactMap(Double.init)
        let largest = csv.dropFirst().compactMap { row -> Double? in
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            return cells[0] == "total.npv" ? [4, 6].compactMap { Double(cells[$0]) }.max() : nil
        }.max()!
        XCTAssertLessThan(ticks.prefix(12).max()!, max(largest * 1.5, largest + 0.1), "the axis ends near the largest value \(largest)")
        XCTAssertGreaterThan(chart.all("line").count, 3 * 2 * 2, "whiskers with caps")
        // Another method is another study: its database is not resumed from this one.
        let other = try dxmap(["sensitivity", sweep, "--method", "tornado", "--db", dir.path("full.sqlite"), "--resume"])
        XCTAssertEqual(other.status, 73)
        XCTAssert(other.stderr.contains("different sweep definition"), other.stderr)
    }

    /// Tornado swings run on common random numbers (an input an output ignores moves it by nothing but rounding);
    /// points whose scenario becomes invalid are recorded as failed, counted, and left out of the analysis.
    func testSensitivityCommonRandomNumbersAndFailedPoints() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 2, draws: 300)
        let tornado = try dxmap(["sensitivity", sweep, "--method", "tornado", "--db", dir.path("t.sqlite"), "--out", dir.path("t"),
                                 "--output", "service[blue-badge].automation_probability"])
        XCTAssertEqual(tornado.status, 0, tornado.stderr)
        let rows = try String(contentsOfFile: dir.path("t/sensitivity.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(rows.count, 4, "2 parameters × swing_low, swing_high, one output")
        let base = try XCTUnwrap(Double(try String(contentsOfFile: dir.path("t/points.csv"), encoding: .utf8)
            .split(separator: "\n")[1].split(separator: ",")[2]))
        for row in rows where row[1] == "size" {
            // The service's automation probability does not depend on how many FTE it has: on the same draws it is the base.
            XCTAssertEqual(try XCTUnwrap(Double(row[4])), base, accuracy: 1e-12 * base, "\(row)")
        }
        XCTAssert(rows.contains { $0[1] == "speed" && abs((Double($0[4]) ?? base) - base) > 1e-3 * base }, "\(rows)")

        // Means scaled up to ×1.8 push the beta mean of 0.62 past 1 in part of the design: those points fail.
        let failing = try dir.write(try String(contentsOfFile: sweep, encoding: .utf8)
            .replacingOccurrences(of: "scale: { min: 0.8, max: 1.2 }", with: "scale: { min: 0.8, max: 1.8 }"), to: "failing.yaml")
        let r = try dxmap(["sensitivity", failing, "--method", "sobol", "--base", "16", "--db", dir.path("f.sqlite"), "--out", dir.path("f"),
                           "--resamples", "100"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(r.stderr.contains("points failed") && r.stderr.contains("becomes invalid"), r.stderr)
        XCTAssert(r.stderr.contains("Sobol estimators used"), r.stderr)
        let points = try String(contentsOfFile: dir.path("f/points.csv"), encoding: .utf8)
        XCTAssert(points.contains("the scenario becomes invalid (speed = "), points)
        let indices = try String(contentsOfFile: dir.path("f/sensitivity.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        XCTAssertFalse(indices.isEmpty)
        let bad = try dxmap(["sensitivity", sweep, "--method", "sobol", "--db", dir.path("x.sqlite"), "--output", "total.npx"])
        XCTAssertEqual(bad.status, 64)
        XCTAssert(bad.stderr.contains("total.npx") && bad.stderr.contains("did you mean 'total.npv'"), bad.stderr)
        XCTAssertEqual(try dxmap(["sensitivity", sweep, "--method", "tornado", "--base", "8", "--db", dir.path("y.sqlite")]).status, 64)
        let three = try dxmap(["sensitivity", sweep, "--method", "sobol", "--base", "3", "--db", dir.path("z.sqlite")])
        XCTAssertEqual(three.status, 64)
        XCTAssert(three.stderr.contains("power of two"), three.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("z.sqlite")))

        // Every point invalid: the study records them, then exits non-zero with the first reason.
        let hopeless = try dir.write(try String(contentsOfFile: sweep, encoding: .utf8)
            .replacingOccurrences(of: "scale: { min: 0.8, max: 1.2 }", with: "scale: { min: 4, max: 5 }"), to: "hopeless.yaml")
        let none = try dxmap(["sensitivity", hopeless, "--method", "tornado", "--db", dir.path("h.sqlite"), "--out", dir.path("h")])
        XCTAssertEqual(none.status, 70, none.stderr)
        XCTAssert(none.stderr.contains("every one of the 5 points failed") && none.stderr.contains("becomes invalid"), none.stderr)

        // 20 draws a point: Monte Carlo noise is a visible share of the spread across points, and the Sobol study
        // says so; 16 rows give intervals too wide to rank by, and it names the parameters.
        let few = TemporaryDirectory()
        let noisySweep = try SweepFixtures.write(into: few, points: 2, draws: 20)
        let noisy = try dxmap(["sensitivity", noisySweep, "--method", "sobol", "--base", "16", "--db", few.path("n.sqlite"), "--out", few.path("n"),
                               "--output", "service[blue-badge].automation_probability", "--resamples", "100"])
        XCTAssertEqual(noisy.status, 0, noisy.stderr)
        XCTAssert(noisy.stderr.contains("warning: service[blue-badge].automation_probability: Monte Carlo noise is"), noisy.stderr)
        XCTAssert(noisy.stderr.contains("intervals wider than 0.1 for speed (S1 ±"), noisy.stderr)
    }

    /// `start_year` labels the redeployment chart's years, redeploy.csv's year rows and run.json.
    func testStartYearLabelsTheYears() throws {
        let dir = TemporaryDirectory()
        let text = try String(contentsOfFile: packageRoot.appendingPathComponent("Scenarios/county-councils-workforce.yaml").path, encoding: .utf8)
        let path = try dir.write(text.replacingOccurrences(of: "\nhorizon: ", with: "\nstart_year: 2026\nhorizon: "), to: "w.yaml")
        XCTAssert(try String(contentsOfFile: path, encoding: .utf8).contains("start_year: 2026"))
        let r = try dxmap(["redeploy", path, "--draws", "200", "--out", dir.path("r")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let chart = try SVGDocument(contentsOfFile: dir.path("r/redeploy.svg"))
        XCTAssert(chart.hasText("2026") && chart.hasText("2030") && chart.hasText("calendar year"))
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("r/run.json")))) as! [String: Any]
        XCTAssertEqual(run["start_year"] as? Int, 2026)
        let rows = try String(contentsOfFile: dir.path("r/redeploy.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        XCTAssert(rows.contains { $0.hasPrefix("internal,year,1,total,") && $0.hasSuffix(",2026") })
        XCTAssert(rows.contains { $0.hasPrefix("internal,year,5,total,") && $0.hasSuffix(",2030") })
        XCTAssert(rows.filter { $0.contains(",horizon,0,") }.allSatisfy { $0.hasSuffix(",") }, "the horizon has no calendar year")
    }

    /// A retraining programme that takes no one in any draw is a warning after the run (here: it trains for a role
    /// whose own displaced fill its vacancies).
    func testAnIdleProgrammeIsWarnedAfterTheRun() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("""
            dxmap: 1
            name: idle programme
            organisations: [{ id: o }]
            roles:
              - { id: clerk, cost_per_fte: 30000, automation: 0.5 }
              - { id: caseworker, cost_per_fte: 40000, automation: 0.5 }
            services:
              - { id: s, organisation: o, tasks: [{ id: a, role: clerk, fte: 200 }, { id: b, role: caseworker, fte: 200 }] }
            workforce:
              attrition: 0.02
              similarity: { clerk: { caseworker: 0.5 } }
              retraining: [{ id: conversion, roles: [caseworker], cost: 1000, years: 1, success: 0.8, places: 50 }]
            policies:
              - { id: none }
              - { id: retrain, internal: true, retraining: true }
            """, to: "idle.yaml")
        let r = try dxmap(["redeploy", path, "--draws", "200"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(r.stderr.contains("warning: retraining 'conversion' took no one in any of the 200 draws under retrain"), r.stderr)
    }

    /// `validate` on a workforce prints where each automated role's people can go.
    func testValidatePrintsTheRoutesOutOfEachRole() throws {
        let r = try dxmap(["validate", "Scenarios/county-councils-workforce.yaml"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.components(separatedBy: "\n")
        XCTAssert(lines.contains { $0.hasPrefix("Routes out of the roles whose work is automated (direct: similarity at least 0.85;") }, r.stdout)
        XCTAssert(lines.contains { $0.hasPrefix("admin-officer") && $0.contains("data-analyst") && $0.hasSuffix("retraining: data-skills") },
                  r.stdout)
        XCTAssert(lines.contains { $0.hasPrefix("admin-officer") && $0.contains("customer-adviser") && $0.hasSuffix("direct") }, r.stdout)
        XCTAssert(r.stdout.contains("no route out of data-analyst"), r.stdout)
    }

    /// `map --versus` and `--versus-no-evidence`: versus.csv, the table, JSON and run.json; refusals for a scenario
    /// without evidence and for both flags at once.
    func testMapVersusAnotherScenarioAndWithoutEvidence() throws {
        let dir = TemporaryDirectory()
        let base = packageRoot.appendingPathComponent("Scenarios/county-councils.yaml").path
        let text = try String(contentsOfFile: base, encoding: .utf8)
        let variant = try dir.write(text.replacingOccurrences(of: "implementation_cost: { lognormal: { p5: 500000, p95: 3000000 } }",
                                                              with: "implementation_cost: { lognormal: { p5: 1000000, p95: 6000000 } }"),
                                    to: "variant.yaml")
        let r = try dxmap(["map", base, "--draws", "2000", "--versus", variant, "--out", dir.path("v")], environment: ["COLUMNS": "80"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for line in r.stdout.components(separatedBy: "\n") { XCTAssertLessThanOrEqual(line.count, 80, line) }
        XCTAssert(r.stdout.contains("Against variant.yaml, on the same 2,000 draws (this run − baseline):"), r.stdout)
        let rows = try String(contentsOfFile: dir.path("v/versus.csv"), encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        XCTAssertEqual(rows[0].joined(separator: ","), "level,id,name,npv_mean,baseline_npv_mean,mean_difference,mean_difference_ci_low,mean_difference_ci_high," +
                       "difference_p5,difference_p95,p_better,p_worse,p_tied")
        let care = try XCTUnwrap(rows.first { $0[1] == "essex-adult-social-care" })
        XCTAssertEqual(care[10], "1", "cheaper to implement in every draw: p_better")
        XCTAssertEqual(care[11], "0")
        let untouched = try XCTUnwrap(rows.first { $0[0] == "organisation" && $0[1] == "suffolk" })
        XCTAssertEqual(untouched[12], "1", "Suffolk's services are the same in both: tied in every draw")
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("v/run.json")))) as! [String: Any]
        let versus = try XCTUnwrap(run["versus"] as? [String: Any])
        XCTAssertEqual(versus["scenario"] as? String, variant)
        XCTAssertEqual((versus["sha256"] as? String)?.count, 64)
        XCTAssert(try String(contentsOfFile: dir.path("v/report.html"), encoding: .utf8).contains("This run against"))
        let json = try dxmap(["map", base, "--draws", "500", "--versus", variant, "--format", "json"])
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((document["versus"] as? [[String: Any]])?.isEmpty, false)
        // With and without the pilot's evidence.
        let pilot = try dxmap(["map", "Scenarios/italian-registry-pilot.yaml", "--draws", "1000", "--versus-no-evidence", "--out", dir.path("e")])
        XCTAssertEqual(pilot.status, 0, pilot.stderr)
        XCTAssert(pilot.stdout.contains("Against the run without its evidence"), pilot.stdout)
        let noEvidence = try dxmap(["map", base, "--draws", "100", "--versus-no-evidence"])
        XCTAssertEqual(noEvidence.status, 64)
        XCTAssert(noEvidence.stderr.contains("has no evidence: to compare"), noEvidence.stderr)
        XCTAssertEqual(try dxmap(["map", base, "--versus", variant, "--versus-no-evidence"]).status, 64)
    }

    /// A small robustness sweep of the county councils: 5 futures × 2 pool lengths (a lever), every policy in every
    /// point. The report's regret, envelopes and correlations are recomputed here from the exported results.
    func testSweepReportScoresOptionsAcrossFutures() throws {
        let dir = TemporaryDirectory()
        let scenario = packageRoot.appendingPathComponent("Scenarios/county-councils-workforce.yaml").path
        let sweep = try dir.write("""
            dxmap-sweep: 1
            scenario: \(scenario)
            draws: 30
            seed: 3
            design: { lhs: { points: 5 } }
            parameters:
              - { name: ai-speed, path: "roles[*].automation.beta.mean", scale: { min: 0.8, max: 1.3 } }
              - { name: pool-years, kind: lever, path: "policies[shared-pool].pool_years", values: [1, 2] }
            outputs: [redeploy.*.redundant, "redeploy.shared-pool.in_pool@year*", total.npv]
            """, to: "robust.yaml")
        let run = try dxmap(["sweep", sweep, "--db", dir.path("r.sqlite"), "--out", dir.path("r"), "--satisfy", "redeploy.*.redundant<=300"],
                            environment: ["COLUMNS": "80"])
        XCTAssertEqual(run.status, 0, run.stderr)
        for line in run.stdout.components(separatedBy: "\n") { XCTAssertLessThanOrEqual(line.count, 80, line) }
        XCTAssert(run.stdout.replacingOccurrences(of: "\n", with: " ").contains("10 points: 5 futures × 2 combinations of the levers (pool-years)"),
                  run.stdout)
        for file in ["report.html", "outputs.csv", "robustness.csv", "envelopes.csv", "correlations.csv", "regret.svg", "envelopes.svg",
                     "scatter.svg", "distributions.svg", "run.json"] {
            XCTAssert(FileManager.default.fileExists(atPath: dir.path("r/\(file)")), file)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("r.sqlite-wal")), "the writer closed before the report read")
        XCTAssertEqual(try dxmap(["export", dir.path("r.sqlite"), "--csv", dir.path("x")]).status, 0)
        var mean: [Int: [String: Double]] = [:]
        for line in try String(contentsOfFile: dir.path("x/results.csv"), encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            mean[Int(f[0])!, default: [:]][f[1]] = Double(f[2])!
        }
        // Options: each policy; shared-pool once per pool length (the lever changes it), the others once (it does not).
        let robustness = try String(contentsOfFile: dir.path("r/robustness.csv"), encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        XCTAssertEqual(robustness[0], ["quantity", "direction", "option", "futures", "mean_value", "regret_mean", "regret_p90", "regret_max",
                                       "share_best", "threshold", "threshold_side", "satisficing"])
        let redundant = robustness.dropFirst().filter { $0[0] == "redeploy.*.redundant" }
        XCTAssertEqual(Set(redundant.map { $0[2] }), ["redundancy-only", "internal", "shared-pool (pool-years = 1)", "shared-pool (pool-years = 2)",
                                                       "pool-retraining"])
        func value(_ option: String, future f: Int) -> Double {
            if option.hasPrefix("shared-pool") { return mean[2 * f + (option.contains("= 1") ? 0 : 1)]!["redeploy.shared-pool.redundant"]! }
            XCTAssertEqual(mean[2 * f]!["redeploy.\(option).redundant"], mean[2 * f + 1]!["redeploy.\(option).redundant"], "untouched by the lever")
            return mean[2 * f]!["redeploy.\(option).redundant"]!
        }
        for row in redundant {
            let regrets = (0..<5).map { f in value(row[2], future: f) - redundant.map { value($0[2], future: f) }.min()! }
            XCTAssertEqual(Double(row[5])!, regrets.reduce(0, +) / 5, accuracy: 1e-9, row[2])
            XCTAssertEqual(Double(row[7])!, regrets.max()!, accuracy: 1e-9, row[2])
            XCTAssertEqual(row[10], "<=")
            XCTAssertEqual(Double(row[11])!, Double((0..<5).filter { value(row[2], future: $0) <= 300 }.count) / 5, row[2])
        }
        // total.npv is scored across the lever alone (higher is better): one option per pool length.
        XCTAssertEqual(robustness.filter { $0[0] == "total.npv" }.map { $0[2] }.sorted(), [], "the mapping does not depend on the pool")
        // Envelopes: per year the order statistics of the ten points' means.
        let envelopes = try String(contentsOfFile: dir.path("r/envelopes.csv"), encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",").map(String.init)
        }
        XCTAssertEqual(envelopes.count, 1 + 5, "one row per year of the horizon")
        for row in envelopes.dropFirst() {
            let v = (0..<10).map { mean[$0]!["redeploy.shared-pool.in_pool@year\(row[1])"]! }.sorted()
            XCTAssertEqual([row[3], row[5], row[7]].map { Double($0)! }, [v[0], v[4], v[9]], "min, p50 (rank ⌊0.5·9⌋), max")
        }
        let correlations = try String(contentsOfFile: dir.path("r/correlations.csv"), encoding: .utf8)
        XCTAssert(correlations.hasPrefix("parameter,kind,output,spearman_rho,points\nai-speed,uncertainty,"), correlations)
        XCTAssert(correlations.contains("pool-years,lever,redeploy.shared-pool.redundant,"), correlations)
        // dxmap report on the database writes the same numbers; bad thresholds are refused before anything is read.
        XCTAssertEqual(try dxmap(["report", dir.path("r.sqlite"), "--out", dir.path("again"), "--satisfy", "redeploy.*.redundant<=300"]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: dir.path("again/robustness.csv"), encoding: .utf8),
                       try String(contentsOfFile: dir.path("r/robustness.csv"), encoding: .utf8))
        let other = try dxmap(["report", dir.path("r.sqlite"), "--satisfy", "redeploy.*.redundant>=300", "--out", dir.path("other")])
        XCTAssertEqual(other.status, 0, other.stderr)
        let flipped = try String(contentsOfFile: dir.path("other/robustness.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }.filter { $0[0] == "redeploy.*.redundant" }
        for (a, b) in zip(flipped, redundant) {
            XCTAssertEqual(a[1], "lower", "fewer redundancies stay better whatever side the threshold takes")
            XCTAssertEqual(a[5], b[5], "the same regret")
            XCTAssertEqual(a[10], ">=")
            XCTAssertEqual(Double(a[11])!, Double((0..<5).filter { value(a[2], future: $0) >= 300 }.count) / 5, a[2])
        }
        let malformed = try dxmap(["report", dir.path("r.sqlite"), "--satisfy", "redundant=3"])
        XCTAssertEqual(malformed.status, 64)
        XCTAssert(malformed.stderr.contains("expected NAME>=X or NAME<=X"), malformed.stderr)
        let unknown = try dxmap(["report", dir.path("r.sqlite"), "--satisfy", "redeploy.*.redundnt<=3"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssert(unknown.stderr.contains("did you mean 'redeploy.*.redundant'?"), unknown.stderr)
        let missing = try dxmap(["report", dir.path("none.sqlite")])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssert(missing.stderr.contains("no such results database"), missing.stderr)
        let html = try String(contentsOfFile: dir.path("r/report.html"), encoding: .utf8)
        XCTAssert(html.contains("Which option holds up across the futures?") && html.contains("How outcomes unfold year by year"))
    }

    func testDiscoverFindsTheBoxOfBadFutures() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 60, draws: 200)
        XCTAssertEqual(try dxmap(["sweep", sweep, "--db", dir.path("s.sqlite")]).status, 0)
        // Displaced FTE grow with both speed and size; "bad" is the top of the range.
        let r = try dxmap(["discover", dir.path("s.sqlite"), "--output", "task[blue-badge/eligibility].displaced_fte", "--above", "9",
                           "--out", dir.path("d")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(r.stdout.contains("chosen box") && r.stdout.contains("size"), r.stdout)
        let boxes = try String(contentsOfFile: dir.path("d/boxes.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(boxes.first.map(String.init),
                       "box,stage,chosen,coverage,density,mass,points,cases,parameter,min,max,categories,quasi_p_min,quasi_p_max,search,kind")
        let chosen = boxes.filter { $0.split(separator: ",", omittingEmptySubsequences: false)[2] == "true" }
        XCTAssert(chosen.contains { $0.contains(",size,") }, "\(boxes)")
        XCTAssert(boxes.dropFirst().allSatisfy { Int($0.split(separator: ",")[0]) != nil }, "box is a number on every row")
        let chart = try SVGDocument(contentsOfFile: dir.path("d/prim.svg"))
        XCTAssertEqual(chart.all("polyline").count, 1, "the peeling trajectory")
        XCTAssert(chart.hasText("size") && chart.hasText("qp "), "the chosen box's limits, drawn per parameter, with quasi-p-values")
        XCTAssert(chart.outsideCanvas().isEmpty)
        // A box picked from the trajectory, then a second box among the futures the first leaves.
        let two = try dxmap(["discover", dir.path("s.sqlite"), "--output", "task[blue-badge/eligibility].displaced_fte", "--above", "9",
                             "--box", "2", "--boxes", "2", "--out", dir.path("two")])
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssert(two.stdout.contains("box 2 of the trajectory: coverage"), two.stdout)
        let rows = try String(contentsOfFile: dir.path("two/boxes.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssert(rows.contains { $0[1] == "selected" && $0[2] == "true" && $0[14] == "1" }, "box 1 picked, not pasted")
        XCTAssert(rows.contains { $0[14] == "2" } || two.stdout.contains("not more:"), two.stdout)
        let beyond = try dxmap(["discover", dir.path("s.sqlite"), "--output", "task[blue-badge/eligibility].displaced_fte", "--above", "9",
                                "--box", "999"])
        XCTAssertEqual(beyond.status, 65)
        XCTAssert(beyond.stderr.contains("--box 999: box 1's peeling trajectory has"), beyond.stderr)
        XCTAssertEqual(try dxmap(["discover", dir.path("s.sqlite"), "--output", "total.npv", "--below", "0", "--box", "1", "--box", "2"]).status, 64,
                       "one --box per box")
        XCTAssertEqual(try dxmap(["discover", dir.path("s.sqlite"), "--output", "total.npv"]).status, 64, "needs --above or --below")
        let unknown = try dxmap(["discover", dir.path("s.sqlite"), "--output", "total.npx", "--below", "0"])
        XCTAssertEqual(unknown.status, 64, "a flag naming no output of the database is a usage error")
        XCTAssert(unknown.stderr.contains("no output 'total.npx' (did you mean 'total.npv'?)"), unknown.stderr)
        // A threshold no point crosses is refused with the output's observed range, and nothing is written.
        let never = try dxmap(["discover", dir.path("s.sqlite"), "--output", "task[blue-badge/eligibility].displaced_fte", "--above", "1000",
                               "--out", dir.path("never")])
        XCTAssertEqual(never.status, 65, never.stderr)
        XCTAssert(never.stderr.contains("no point has task[blue-badge/eligibility].displaced_fte > 1000 (observed range "), never.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("never/boxes.csv")))
        let always = try dxmap(["discover", dir.path("s.sqlite"), "--output", "task[blue-badge/eligibility].displaced_fte", "--below", "1000"])
        XCTAssertEqual(always.status, 65)
        XCTAssert(always.stderr.contains("every point has"), always.stderr)
    }

    func testAdoptComparesProgrammesAndMapTakesAProgramme() throws {
        let dir = TemporaryDirectory()
        let r = try dxmap(["adopt", "Scenarios/catalyst.yaml", "--draws", "1000", "--out", dir.path("out")])
        XCTAssertEqual(r.status, 0, r.stderr)
        for id in ["none", "onsite-benefits", "all-five"] { XCTAssert(r.stdout.contains(id), r.stdout) }
        XCTAssert(r.stdout.contains("net value (p5–p95)") && r.stdout.contains("ret./cost") && r.stdout.contains("better in"), r.stdout)
        XCTAssert(r.stdout.components(separatedBy: "\n").dropFirst().allSatisfy { $0.count <= 100 }, "tables fit 100 columns: \(r.stdout)")
        let csv = try String(contentsOfFile: dir.path("out/programmes.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "programme,level,id,metric,mean,sd,p5,p50,p95,mean_difference,mean_difference_ci_low,"
                       + "mean_difference_ci_high,difference_p5,difference_p95,p_better,p_worse,p_tied")
        // 3 programmes × (11 services + 3 organisations + total) × 5 metrics.
        XCTAssertEqual(csv.count, 1 + 3 * 15 * 5)
        for metric in ["adopted_by_horizon", "adoption_delay", "npv", "routine_cost", "net_value"] {
            XCTAssert(csv.contains { $0.hasPrefix("all-five,total,total,\(metric),") }, metric)
        }
        XCTAssert(try String(contentsOfFile: dir.path("out/adoption.svg"), encoding: .utf8).contains("<polyline"))
        let subset = try dxmap(["adopt", "Scenarios/catalyst.yaml", "--draws", "200", "--programme", "all-five", "--programme", "none", "--format", "csv"])
        XCTAssertEqual(subset.status, 0, subset.stderr)
        XCTAssert(subset.stdout.split(separator: "\n")[1].hasPrefix("all-five,"), "the first programme is the baseline")

        let map = try dxmap(["map", "Scenarios/catalyst.yaml", "--draws", "1000", "--programme", "onsite-benefits"])
        XCTAssertEqual(map.status, 0, map.stderr)
        XCTAssert(map.stdout.contains("adoption within 5 years (programme onsite-benefits)") && map.stdout.contains("Children's social care (Essex)"), map.stdout)
        let unknown = try dxmap(["map", "Scenarios/catalyst.yaml", "--draws", "100", "--programme", "nope"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssert(unknown.stderr.contains("no programme 'nope' (did you mean 'none'?); the scenario's programmes are none, onsite-benefits, all-five"), unknown.stderr)
        let noBarriers = try dxmap(["adopt", "Scenarios/county-councils.yaml", "--draws", "100"])
        XCTAssertEqual(noBarriers.status, 65)
        XCTAssert(noBarriers.stderr.contains("no 'barriers:' section"), noBarriers.stderr)
        let redeploy = try dxmap(["redeploy", "Scenarios/catalyst.yaml", "--draws", "200", "--programme", "all-five", "--format", "csv"])
        XCTAssertEqual(redeploy.status, 0, redeploy.stderr)
    }

    /// `dxmap validate` knows sweep files: it checks every point, the outputs and the design, without running them,
    /// and blames an invalid point on its parameter with a file:line:col; a sweep without a design is checked at its corners.
    func testValidateChecksSweepFilesWithoutRunningThem() throws {
        for name in ["ai-progress", "redeployment-policies", "discover-redeployment", "sensitivity-italian-pa"] {
            let r = try dxmap(["validate", "Scenarios/sweeps/\(name).yaml"])
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            XCTAssert(r.stdout.contains("valid (sweep schema 1)") && r.stdout.contains("every point's scenario valid"), "\(name): \(r.stdout)")
        }
        XCTAssert(try dxmap(["validate", "Scenarios/sweeps/discover-redeployment.yaml"]).stdout.contains("a Latin hypercube of 200 points"))
        XCTAssert(try dxmap(["validate", "Scenarios/sweeps/sensitivity-italian-pa.yaml"]).stdout.contains("no design of its own"))
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 6)
        let text = try String(contentsOfFile: sweep, encoding: .utf8)
        let tooFast = try dir.write(text.replacingOccurrences(of: "scale: { min: 0.8, max: 1.2 }", with: "scale: { min: 0.8, max: 1.7 }"), to: "fast.yaml")
        let r = try dxmap(["validate", tooFast])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssert(r.stderr.contains("fast.yaml:8:11: error: parameters[speed]: speed = 1.7 alone makes the scenario invalid"), r.stderr)
        XCTAssertFalse(r.stderr.contains("parameters[size]"), "size is not to blame: \(r.stderr)")
        let badOutput = try dir.write(text.replacingOccurrences(of: "outputs: [total.npv,", with: "outputs: [total.npx,"), to: "out.yaml")
        let o = try dxmap(["validate", badOutput])
        XCTAssertEqual(o.status, 65, o.stderr)
        XCTAssert(o.stderr.contains("out.yaml:14:11: error: outputs[0]: output 'total.npx'") && o.stderr.contains("did you mean 'npv'"), o.stderr)
    }

    /// What a new user mistypes gets a suggestion; adoption years past the horizon warn; adopt prints JSON and writes run.json.
    func testMistakesGetSuggestionsAndWarnings() throws {
        let mapp = try dxmap(["mapp", "Scenarios/county-councils.yaml"])
        XCTAssertEqual(mapp.status, 64)
        XCTAssert(mapp.stderr.contains("unknown command 'mapp' (did you mean 'map'?)"), mapp.stderr)
        let policy = try dxmap(["redeploy", "Scenarios/county-councils-workforce.yaml", "--draws", "100", "--policy", "shared_pool"])
        XCTAssertEqual(policy.status, 64)
        XCTAssert(policy.stderr.contains("no policy 'shared_pool' in the scenario (did you mean 'shared-pool'?)"), policy.stderr)

        let dir = TemporaryDirectory()
        let late = try dir.write(ScenarioFixtures.corpusBase.replacingOccurrences(
            of: "adoption_year: { discrete: { values: [1, 2, 3], weights: [0.3, 0.5, 0.2] } }", with: "adoption_year: 7"), to: "late.yaml")
        for command in ["validate", "map"] {
            let r = try dxmap([command, late] + (command == "map" ? ["--draws", "100"] : []))
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssert(r.stderr.contains("late.yaml:21:24: warning: services[blue-badge].tasks[0].adoption_year: the adoption year is never within the 5-year horizon"), "\(command): \(r.stderr)")
        }

        let json = try dxmap(["adopt", "Scenarios/catalyst.yaml", "--draws", "200", "--format", "json", "--out", dir.path("adopt")])
        XCTAssertEqual(json.status, 0, json.stderr)
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((doc["run"] as? [String: Any])?["programmes"] as? [String], ["none", "onsite-benefits", "all-five"])
        XCTAssertEqual((doc["programmes"] as? [Any])?.count, 3 * 15 * 5, "every programmes.csv row")
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("adopt/run.json")))) as! [String: Any]
        XCTAssertEqual(run["command"] as? String, "adopt")
        XCTAssertEqual((run["scenario_sha256"] as? String)?.count, 64)
    }

    /// Slurm scripts name the real dxmap binary even when it was called through PATH from another directory,
    /// and the array script runs from there (checked by running its command line without Slurm).
    func testSlurmScriptsNameTheRealBinaryWhenCalledThroughPath() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 4, draws: 50)
        let elsewhere = dir.path("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let path = Self.binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try run("/bin/sh", ["-c", "cd '\(elsewhere)' && dxmap sweep '\(sweep)' --slurm 2 --db jobs"], environment: ["PATH": path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let script = try String(contentsOfFile: elsewhere + "/jobs/sweep-array.sbatch", encoding: .utf8)
        let exec = try XCTUnwrap(script.split(separator: "\n").first { $0.hasPrefix("exec ") })
        let binary = String(exec.split(separator: " ")[1])
        XCTAssert(binary.hasPrefix("/") && FileManager.default.isExecutableFile(atPath: binary), "exec names an existing absolute path: \(exec)")
        // Task 1 of 2, as Slurm would run it, from yet another directory and with an empty PATH.
        let task = try run("/bin/bash", ["-c", "cd / && SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2 /bin/bash '\(elsewhere)/jobs/sweep-array.sbatch'"],
                           environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(task.status, 0, task.stderr)
        XCTAssertEqual(try SweepStore(existing: elsewhere + "/jobs/shard-1.sqlite").donePoints(), [1, 3])
    }
}

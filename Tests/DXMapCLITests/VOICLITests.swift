import DXTestSupport
import Foundation
import XCTest

/// `dxmap voi`, `--no-evidence` and evidence in `validate` and run.json, through the real binary.
final class VOICLITests: CLITestCase {
    func testVOIWritesItsFilesAndTables() throws {
        let dir = TemporaryDirectory()
        let r = try dxmap(["voi", "Scenarios/italian-registry-pilot.yaml", "--draws", "2000", "--out", dir.path("out")])
        XCTAssertEqual(r.status, 0, r.stderr)
        for text in ["Expected value of perfect information", "portfolio", "EVPPI", "permits-pilot", "Evidence, applied"] {
            XCTAssert(r.stdout.contains(text), "\(text): \(r.stdout)")
        }
        let tables = r.stdout.components(separatedBy: "Expected value of perfect information")[1]
        XCTAssert(tables.components(separatedBy: "\n").allSatisfy { $0.count <= 100 }, "the VOI tables fit 100 columns: \(tables)")
        let csv = try String(contentsOfFile: dir.path("out/voi.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "section,decision,input,kind,cases,value,se,per_year,cost,net,currency")
        // 3 services + the portfolio; 7 pilot sizes.
        XCTAssertEqual(csv.filter { $0.hasPrefix("evpi,") }.count, 4)
        XCTAssertEqual(csv.filter { $0.hasPrefix("evsi,") }.count, 7)
        // Each decision's best option against the next best, across futures.
        let choices = try String(contentsOfFile: dir.path("out/decisions.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(String(choices[0]), "decision,best,next_best,mean_difference,mean_difference_ci_low,mean_difference_ci_high,"
                       + "difference_p5,difference_p95,p_better,p_worse,p_tied")
        XCTAssertEqual(choices.count, 1 + 3, "the three services; the portfolio has one option")
        XCTAssert(choices.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 11 })
        XCTAssert(r.stdout.contains("best vs next") && r.stdout.contains("better in"), r.stdout)
        let svg = try String(contentsOfFile: dir.path("out/voi.svg"), encoding: .utf8)
        XCTAssert(svg.contains("EVPI") && svg.contains("<polyline") && !svg.contains("NaN"))
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("out/run.json")))) as! [String: Any]
        let evidence = try XCTUnwrap(run["evidence"] as? [[String: Any]])
        XCTAssertEqual(evidence.count, 2)
        XCTAssertEqual(evidence[0]["applied"] as? Bool, true)
        XCTAssert(try String(contentsOfFile: dir.path("out/report.html"), encoding: .utf8).contains("Evidence from pilots"))

        let programme = try dxmap(["voi", "Scenarios/catalyst.yaml", "--decision", "programme", "--draws", "500", "--input", "barrier:",
                                   "--format", "csv"])
        XCTAssertEqual(programme.status, 0, programme.stderr)
        XCTAssert(programme.stdout.contains("evpi,programme,"), programme.stdout)
        let bad = try dxmap(["voi", "Scenarios/italian-registry-pilot.yaml", "--pilot", "permit-pilot", "--draws", "300"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssert(bad.stderr.contains("did you mean 'permits-pilot'"), bad.stderr)
    }

    /// `--decision policy --write-draws`: draws.csv holds each policy's raw outcomes (net saving, redundancies), as the
    /// engine records them, and the option value the decision derives from them (net saving less the workforce's
    /// value of a redundancy avoided, 20,000, times the redundancies); the EVPI of those columns is voi.csv's.
    func testPolicyDrawsHoldTheOutcomesAndTheValuesTheStudyUses() throws {
        let dir = TemporaryDirectory()
        let r = try dxmap(["voi", "Scenarios/county-councils-workforce.yaml", "--decision", "policy", "--draws", "300", "--write-draws",
                           "--out", dir.path("out")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try String(contentsOfFile: dir.path("out/draws.csv"), encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let header = lines[0], rows = lines.dropFirst().map { $0.map { Double($0)! } }
        XCTAssertEqual(rows.count, 300)
        let policies = ["redundancy-only", "internal", "shared-pool", "pool-retraining"]
        func column(_ name: String) throws -> [Double] {
            let k = try XCTUnwrap(header.firstIndex(of: name), name)
            return rows.map { $0[k] }
        }
        var values: [[Double]] = []
        for id in policies {
            let net = try column("policy:\(id):net_saving"), redundant = try column("policy:\(id):redundant"), value = try column("policy:\(id)")
            for i in rows.indices { XCTAssertEqual(value[i], net[i] - 20_000 * redundant[i], accuracy: 1e-9 * max(1, abs(value[i]))) }
            values.append(value)
        }
        let best = values.map { $0.reduce(0, +) / 300 }.max()!
        let evpi = rows.indices.map { i in values.map { $0[i] }.max()! }.reduce(0, +) / 300 - best
        let csv = try String(contentsOfFile: dir.path("out/voi.csv"), encoding: .utf8).split(separator: "\n")
        let row = try XCTUnwrap(csv.first { $0.hasPrefix("evpi,policy,") }).split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(Double(row[5])!, evpi, accuracy: 1e-6 * max(1, evpi), "EVPI = E[max V] − max E[V] of the derived columns")
    }

    func testNoEvidenceGivesThePriorMapAndSaysSo() throws {
        let dir = TemporaryDirectory()
        let with = try dxmap(["map", "Scenarios/italian-registry-pilot.yaml", "--draws", "500", "--out", dir.path("with"), "--format", "csv"])
        let without = try dxmap(["map", "Scenarios/italian-registry-pilot.yaml", "--draws", "500", "--no-evidence", "--out", dir.path("without"),
                                 "--format", "csv"])
        XCTAssertEqual(with.status, 0, with.stderr)
        XCTAssertEqual(without.status, 0, without.stderr)
        XCTAssertNotEqual(with.stdout, without.stdout, "the evidence moves the registry certificates")
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("without/run.json")))) as! [String: Any]
        XCTAssertEqual((run["evidence"] as? [[String: Any]])?.first?["applied"] as? Bool, false)
        let validate = try dxmap(["validate", "Scenarios/italian-registry-pilot.yaml"])
        XCTAssertEqual(validate.status, 0, validate.stderr)
        XCTAssert(validate.stdout.contains("posterior mean (90%)") && validate.stdout.contains("31/60 succeeded"), validate.stdout)
    }

    func testBadEvidenceExitsWithItsLocation() throws {
        let dir = TemporaryDirectory()
        let text = try String(contentsOfFile: packageRoot.appendingPathComponent("Scenarios/italian-registry-pilot.yaml").path, encoding: .utf8)
            .replacingOccurrences(of: "successes: 31", with: "successes: 61")
        let path = try dir.write(text, to: "bad.yaml")
        let r = try dxmap(["validate", path])
        XCTAssertEqual(r.status, 65)
        XCTAssert(r.stderr.contains("bad.yaml:") && r.stderr.contains("evidence[certificates-pilot-2026].successes"), r.stderr)
    }

    /// Issue 26 through the binary: at the fewest draws an unavailable standard error shows as — with the draws it
    /// needs (an empty CSV cell, null in JSON), never as ± 0; `--evppi v1` and `--posterior v1` reach the earlier
    /// releases' numbers and run.json says which; evidence far in its prior's tail is warned about at its line.
    func testUnavailableErrorsOldEstimatorsAndFarTailWarnings() throws {
        let few = try dxmap(["voi", "Scenarios/italian-registry-pilot.yaml", "--draws", "100"])
        XCTAssertEqual(few.status, 0, few.stderr)
        XCTAssert(few.stdout.contains("± —") && few.stdout.contains("too few draws for a standard error"), few.stdout)
        XCTAssertFalse(few.stdout.contains("± 0.00"), few.stdout)
        let json = try dxmap(["voi", "Scenarios/italian-registry-pilot.yaml", "--draws", "100", "--format", "json"])
        let rows = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["rows"] as? [[String: Any]])
        XCTAssert(rows.contains { $0["se"] is NSNull && ($0["se_needs_draws"] as? Int ?? 0) > 100 }, json.stdout)
        XCTAssertEqual(try dxmap(["voi", "Scenarios/italian-registry-pilot.yaml", "--draws", "99"]).status, 64)

        let dir = TemporaryDirectory()
        let old = try dxmap(["voi", "Scenarios/italian-registry-pilot.yaml", "--draws", "500", "--evppi", "v1", "--posterior", "v1",
                             "--out", dir.path("old"), "--format", "csv"])
        let new = try dxmap(["voi", "Scenarios/italian-registry-pilot.yaml", "--draws", "500", "--out", dir.path("new"), "--format", "csv"])
        XCTAssertEqual(old.status, 0, old.stderr)
        XCTAssertNotEqual(old.stdout, new.stdout)
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("old/run.json")))) as! [String: Any]
        XCTAssertEqual(run["evppi_estimator"] as? String, "v1")
        let methods = (run["evidence"] as? [[String: Any]])?.compactMap { $0["method"] as? String }
        XCTAssertEqual(methods, ["quadrature-v1", "quadrature-v1"], "both priors are PERTs: no conjugate form")
        XCTAssertEqual(try dxmap(["map", "Scenarios/italian-registry-pilot.yaml", "--posterior", "v3"]).status, 64)

        // The civil-status cost quote moved far above its prior (p95 2.5bn): a warning with file and line, and a run.
        let text = try String(contentsOfFile: packageRoot.appendingPathComponent("Scenarios/italian-registry-pilot.yaml").path, encoding: .utf8)
            .replacingOccurrences(of: "measured: 1.6e9", with: "measured: 6.0e9")
        let path = try dir.write(text, to: "far.yaml")
        let far = try dxmap(["map", path, "--draws", "200"])
        XCTAssertEqual(far.status, 0, far.stderr)
        XCTAssert(far.stderr.contains("far.yaml:") && far.stderr.contains("warning:") && far.stderr.contains("sits far in the tail"), far.stderr)
    }

    /// `--sampler`: inversion (on xoshiro256**) is the default and gives the same files as no flag; gsl-direct (on
    /// mt19937) draws differently, on every Monte Carlo command, and run.json says which. `--draw-design` and
    /// `--replicates` reach the run, its table and summary.csv's `mean_se`; impossible ones are refused.
    func testTheSamplerIsChosenAndRecorded() throws {
        let dir = TemporaryDirectory()
        let plain = try dxmap(["map", "Scenarios/italian-pa.yaml", "--draws", "500", "--format", "csv", "--out", dir.path("plain")])
        let inverted = try dxmap(["map", "Scenarios/italian-pa.yaml", "--draws", "500", "--format", "csv", "--sampler", "inversion"])
        let direct = try dxmap(["map", "Scenarios/italian-pa.yaml", "--draws", "500", "--format", "csv", "--sampler", "gsl-direct",
                                "--out", dir.path("direct")])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertEqual(plain.stdout, inverted.stdout)
        XCTAssertNotEqual(plain.stdout, direct.stdout)
        for (name, sampler, generator) in [("plain", "inversion", "xoshiro256starstar"), ("direct", "gsl-direct", "mt19937")] {
            let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("\(name)/run.json")))) as! [String: Any]
            XCTAssertEqual(run["sampler"] as? String, sampler)
            XCTAssertEqual(run["generator"] as? String, generator)
            XCTAssertEqual(run["draw_design"] as? String, "plain")
            XCTAssertNil(run["replicates"])
        }
        for command in [["redeploy", "Scenarios/county-councils-workforce.yaml"], ["adopt", "Scenarios/catalyst.yaml"]] {
            XCTAssertEqual(try dxmap(command + ["--draws", "200", "--sampler", "gsl-direct"]).status, 0, command[0])
            XCTAssertEqual(try dxmap(command + ["--draws", "200", "--draw-design", "sobol", "--replicates", "4"]).status, 0, command[0])
        }
        let designed = try dxmap(["map", "Scenarios/italian-pa.yaml", "--draws", "600", "--draw-design", "latin-hypercube",
                                  "--replicates", "6", "--out", dir.path("lhs")])
        XCTAssertEqual(designed.status, 0, designed.stderr)
        XCTAssert(designed.stdout.contains("600 draws (latin-hypercube, 6 replicates)"), designed.stdout)
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("lhs/run.json")))) as! [String: Any]
        XCTAssertEqual(run["draw_design"] as? String, "latin-hypercube")
        XCTAssertEqual(run["replicates"] as? Int, 6)
        let summary = try String(contentsOfFile: dir.path("lhs/summary.csv"), encoding: .utf8)
        XCTAssert(summary.hasPrefix("level,id,name,metric,mean,mean_se,sd,"), String(summary.prefix(80)))
        let report = try String(contentsOfFile: dir.path("lhs/report.html"), encoding: .utf8)
        XCTAssert(report.contains("a latin-hypercube design in 6 independent replicates"), "the report says which design ran")
        XCTAssert(report.contains("latin-hypercube, 6 replicates (standard errors from the replicates)"), "and its provenance")
        let uneven = try dxmap(["map", "Scenarios/italian-pa.yaml", "--draws", "605", "--draw-design", "sobol"])
        XCTAssertNotEqual(uneven.status, 0)
        XCTAssert(uneven.stderr.contains("multiple of the replicates (10)"), uneven.stderr)
        XCTAssertEqual(try dxmap(["map", "Scenarios/italian-pa.yaml", "--draw-design", "sobol", "--replicates", "1"]).status, 64)
        XCTAssertEqual(try dxmap(["map", "Scenarios/italian-pa.yaml", "--draw-design", "stratified"]).status, 64)
        let voi = try dxmap(["voi", "Scenarios/italian-registry-pilot.yaml", "--draws", "200", "--draw-design", "sobol"])
        XCTAssertNotEqual(voi.status, 0)
        XCTAssert(voi.stderr.contains("regresses on independent draws"), voi.stderr)
        let bad = try dxmap(["map", "Scenarios/italian-pa.yaml", "--sampler", "rejection"])
        XCTAssertEqual(bad.status, 64)
    }
}

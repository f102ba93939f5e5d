import DXEngine
import DXExperiments
import DXSampling
import Foundation

/// Files and tables of a redeployment run: `redeploy.csv`, `policies.csv`,
/// `redeploy.svg` and `run.json`, written whole (temporary file, then rename).
public enum RedeploymentOutputs {
    /// The exact headers of `redeploy.csv` and `policies.csv`.
    public static let redeployHeader = "policy,year,organisation,role,metric,mean,sd,p5,p50,p95"
    public static let policiesHeader = "policy,metric,mean,baseline_mean,difference,ci_low,ci_high"
    /// The files ``write(result:run:to:)`` writes, in order.
    public static let fileNames = ["redeploy.csv", "policies.csv", "redeploy.svg", "run.json"]

    /// `redeploy.csv`: every metric per policy and year (0 = the whole horizon; stocks at its end) for the
    /// total (`*`, `*`), each organisation and each role; and, for year 0, each organisation–role cell.
    public static func redeployCSV(_ r: RedeploymentResult) -> String {
        let lines = r.rows().map { row in
            let s = row.summary
            return CSVOutput.row([row.policy, "\(row.year)", row.organisation ?? "*", row.role ?? "*", row.metric.name]
                                 + [s.mean, s.sd, s.p5, s.p50, s.p95].map(NumberFormatting.exact))
        }
        return ([redeployHeader] + lines).joined(separator: "\n") + "\n"
    }

    /// `policies.csv`: per policy and metric over the horizon, its mean, the baseline's, and the mean
    /// difference with its 95% interval (common random numbers: the same draws for every policy).
    public static func policiesCSV(_ r: RedeploymentResult) -> String {
        guard let baseline = r.policies.first?.id else { return policiesHeader + "\n" }
        var lines = [policiesHeader]
        for policy in r.policies.map(\.id) {
            for metric in RedeploymentMetric.allCases {
                guard let s = r.summary(policy: policy, year: 0, metric: metric),
                      let b = r.summary(policy: baseline, year: 0, metric: metric),
                      let d = r.difference(policy: policy, metric: metric) else { continue }
                lines.append(CSVOutput.row([policy, metric.name] + [s.mean, b.mean, d.mean, d.low, d.high].map(NumberFormatting.exact)))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The policy comparison as a terminal table: one row per policy, over the horizon.
    public static func table(_ r: RedeploymentResult) -> String {
        func range(_ s: DistributionSummary?, people: Bool) -> String {
            guard let s else { return "–" }
            func f(_ x: Double) -> String { people ? String(format: "%.0f", x) : NumberFormatting.compact(x) }
            return "\(f(s.mean)) (\(f(s.p5))–\(f(s.p95)))"
        }
        func difference(_ policy: String, _ metric: RedeploymentMetric, people: Bool) -> String {
            guard policy != r.policies.first?.id, let d = r.difference(policy: policy, metric: metric) else { return "baseline" }
            func f(_ x: Double) -> String { people ? String(format: "%+.0f", x) : (x >= 0 ? "+" : "") + NumberFormatting.compact(x) }
            return "\(f(d.mean)) [\(f(d.low)), \(f(d.high))]"
        }
        let headers = ["policy", "displaced", "redundant", "redeployed int/cross", "retrained", "transition cost",
                       "net saving", "Δ redundant [95% CI]", "Δ net saving [95% CI]"]
        let rows: [[String]] = r.policies.map { p in
            func mean(_ m: RedeploymentMetric) -> String {
                String(format: "%.0f", r.summary(policy: p.id, year: 0, metric: m)?.mean ?? .nan)
            }
            return [shortened(p.name, to: 34), mean(.displaced),
                    range(r.summary(policy: p.id, year: 0, metric: .redundant), people: true),
                    "\(mean(.redeployedInternal)) / \(mean(.redeployedCrossOrg))", mean(.retrainedPlaced),
                    range(r.summary(policy: p.id, year: 0, metric: .transitionCost), people: false),
                    range(r.summary(policy: p.id, year: 0, metric: .netSaving), people: false),
                    difference(p.id, .redundant, people: true), difference(p.id, .netSaving, people: false)]
        }
        var out = TextTable.lines(headers: headers, rows: rows, leftAligned: [0])
        out.append("""
            people over \(r.horizon) years: mean (p5–p95); money in \(r.currency.isEmpty ? "currency units" : r.currency), undiscounted; 
            """
                   + "Δ: difference from the first policy on the same draws, mean [95% CI]")
        return out.joined(separator: "\n") + "\n"
    }

    /// Writes all files and returns their paths.
    @discardableResult
    public static func write(result: RedeploymentResult, run: RunRecord, to directory: String) throws -> [String] {
        let contents = [redeployCSV(result), policiesCSV(result), RedeploymentChart.svg(result), try JSONOutput.run(run)]
        return try OutputFiles.write(zip(fileNames, contents).map { ($0, $1) }, to: directory)
    }
}

import DXEngine
import DXSampling
import DXScenario
import Foundation

/// Tidy CSV tables of a mapping run (one observation per row).
public enum CSVOutput {
    public static let summaryHeader = "level,id,name,metric,mean,sd,p5,p25,p50,p75,p95,p_loss,cvar5"
    public static let matrixHeader = """
        level,id,name,x,y,quadrant,p_automate_first,p_pilot,p_opportunistic,p_leave,borderline,\
        view,x_quantity,y_quantity,x_threshold,x_threshold_basis,y_threshold,y_threshold_basis,currency
        """

    /// With a draw design, `summary.csv` has `mean_se` after `mean`: the standard error of the mean from the design's
    /// replicates. Plain Monte Carlo's is sd/√draws, so plain runs keep the columns of every release.
    public static let designSummaryHeader = "level,id,name,metric,mean,mean_se,sd,p5,p25,p50,p75,p95,p_loss,cvar5"

    /// `summary.csv`: every metric of every entity at every level. `p_loss` and `cvar5` are filled for `npv` only.
    public static func summary(_ result: MappingResult) -> String {
        let design = result.run.design.method != .plain
        var lines = [design ? designSummaryHeader : summaryHeader]
        lines.reserveCapacity(result.entities.count * result.metrics.count + 1)
        for (e, entity) in result.entities.enumerated() {
            for metric in result.metrics {
                let s = result.summary(e, metric)
                let tail = metric == .npv ? [s.pLoss, s.cvar5].map(NumberFormatting.exact) : ["", ""]
                let numbers = (design ? [s.mean, s.standardError] : [s.mean]) + [s.sd, s.p5, s.p25, s.p50, s.p75, s.p95]
                let text = numbers.map(NumberFormatting.exact)
                lines.append(row([entity.level.rawValue, entity.id, entity.name, metric.rawValue] + text + tail))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `matrix.csv`: one row per entity of the matrix's level, each carrying what its columns mean: the view,
    /// what x and y measure, the thresholds with where they come from (`ThresholdBasis`), and the currency.
    public static func matrix(_ m: RiskReturnMatrix) -> String {
        var lines = [matrixHeader]
        let context = [m.view.rawValue, m.xLabel, m.yLabel, NumberFormatting.exact(m.xThreshold), m.xThresholdBasis.rawValue,
                       NumberFormatting.exact(m.yThreshold), m.yThresholdBasis.rawValue, m.currency]
        for p in m.points {
            let probabilities = Quadrant.allCases.map { NumberFormatting.exact(p.probabilities[$0] ?? 0) }
            lines.append(row([p.entity.level.rawValue, p.entity.id, p.entity.name, NumberFormatting.exact(p.x),
                              NumberFormatting.exact(p.y), p.quadrant.rawValue] + probabilities + ["\(p.isBorderline)"] + context))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One CSV row (RFC 4180 quoting: fields with a comma, quote or newline are quoted), each field first made
    /// safe to open in a spreadsheet (``spreadsheetSafe(_:)``).
    public static func row(_ fields: [String]) -> String {
        fields.map { field in
            let f = spreadsheetSafe(field)
            return f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",")
    }

    /// A field that a spreadsheet would run as a formula — one starting with `=`, `+`, `-`, `@`, a tab or a carriage
    /// return, such as a name `=HYPERLINK(…)` — gets a leading `'`, which Excel, LibreOffice and Google Sheets show
    /// as text and do not evaluate (OWASP, "CSV Injection"). Numbers (`-1.5e+06`) are left as they are: they are not
    /// formulas, and stay numbers for pandas and R.
    public static func spreadsheetSafe(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
              !NumberFormatting.isDecimalLiteral(field) else { return field }
        return "'" + field
    }
}

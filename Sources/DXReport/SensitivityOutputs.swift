import DXAnalysis
import DXExperiments
import DXSampling
import DXSupport
import Foundation

extension SensitivityResult {
    /// `sensitivity.csv`: `output,parameter,method,index,value,ci_low,ci_high`.
    public var csv: String {
        let header = "output,parameter,method,index,value,ci_low,ci_high"
        let lines = rows.map { r in
            CSVOutput.row(
                [r.output, r.parameter, method.rawValue, r.index]
                    + [r.estimate.value, r.estimate.low, r.estimate.high].map(NumberFormatting.exact))
        }
        return ([header] + lines).joined(separator: "\n") + "\n"
    }

    /// `points.csv`: each point's output value (mean over draws), its Monte Carlo standard error, and why it failed.
    public var pointsCSV: String {
        var lines = ["point,output,value,mc_se,failure"]
        for (output, mean, sd) in pointValues {
            for p in mean.indices {
                let se = sd[p] / Double(draws).squareRoot()
                lines.append(
                    CSVOutput.row(["\(p)", output, NumberFormatting.exact(mean[p]), NumberFormatting.exact(se), failures[p] ?? ""]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Terminal lines for one output: its parameters ranked by the method's main index
    /// (ST for Sobol, μ* for Morris, swing width for the tornado), with intervals.
    public func table(output: String, width: Int? = TerminalStyle.defaultColumns) -> [String] {
        var base = ""
        if case let .tornado(value, _, _)? = indices(of: output) { base = " (base \(NumberFormatting.compact(value)))" }
        return TextTable.wrap("\(output)\(base)", width: width) + tableData(output: output).lines(width: width)
    }

}


/// A sensitivity study's output set: `sensitivity.csv`, `points.csv`, the method's chart (`sobol.svg`, `morris.svg`
/// or `tornado.svg`), `report.html` and `run.json`; on the terminal each output's parameters ranked; its warnings
/// and notes on standard error.
public struct SensitivityOutput: OutputSet {
    public var result: SensitivityResult
    /// The chart's and the report's title.
    public var title: String
    public var record: StudyRecord

    public init(result: SensitivityResult, title: String, record: StudyRecord) {
        (self.result, self.title, self.record) = (result, title, record)
    }

    public func files() throws -> [OutputFiles.File] {
        let chart = SensitivityChart.svg(result, title: title)
        return [OutputFiles.File(name: "sensitivity.csv", text: result.csv), OutputFiles.File(name: "points.csv", text: result.pointsCSV),
                OutputFiles.File(name: "\(result.method.rawValue).svg", text: chart),
                OutputFiles.File(name: "run.json", text: try JSONOutput.run(record)),
                OutputFiles.File(name: "report.html", text: result.report(title: title, run: record, chart: chart).html)]
    }

    public func table(_ style: TerminalStyle) throws -> [TerminalText] {
        result.outputs.flatMap { [TerminalText(result.table(output: $0, width: style.columns).joined(separator: "\n")), TerminalText("")] }
    }

    public var warnings: [String] { result.messages }
}

extension SensitivityResult {
    /// The study as a report: the chart with how to read it, each output's ranking, the parameters' ranges, the
    /// study's warnings and notes, and the provenance.
    public func report(title: String, run: StudyRecord, chart: String) -> HTMLReport {
        let ranges = TableData(headers: ["parameter", "varied over"],
                               rows: zip(parameters, ranges.isEmpty ? parameters.map { _ in "–" } : ranges).map { [$0, $1] })
        let section = HTMLReport.Section(
            title: "Which inputs matter", howToRead: SensitivityChart.howToRead(self), chart: chart,
            tables: outputs.map { ("\($0): parameters ranked", tableData(output: $0)) } + [("Parameters and their ranges", ranges)],
            notes: messages)
        return HTMLReport(title: title, subtitle: "\(method.rawValue.capitalized) sensitivity: \(points) points × \(draws) draws",
                          provenance: HTMLReport.provenance(run), sections: [section])
    }
}

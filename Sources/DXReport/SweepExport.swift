import DXExperiments
import DXSampling
import Foundation

extension SweepStore {
    /// `design.csv` (point, then the parameters in the sweep file's order: one row per point run), `results.csv`
    /// (`point,output,mean,sd,p5,p50,p95`, ordered by point, then by the output's position in the sweep file)
    /// and `failures.csv` (`point,reason`, one row per failed point), with `run.json`, as a set (``OutputFiles``).
    public func export(to directory: String, run: StudyRecord) throws -> [String] {
        let names = try parameterNames()
        func cell(_ v: SQLiteDatabase.Value) -> String {
            switch v {
            case let .real(x): NumberFormatting.exact(x)
            case let .integer(i): "\(i)"
            case let .text(s): s
            case .null: ""
            }
        }
        let design = try designRows().map { CSVOutput.row($0.map(cell)) }
        let results = try resultRows().map { CSVOutput.row($0.map(cell)) }
        let failures = try failures().sorted { $0.key < $1.key }.map { CSVOutput.row(["\($0.key)", $0.value]) }
        return try OutputFiles.write([
            ("design.csv", ([CSVOutput.row(["point"] + names)] + design).joined(separator: "\n") + "\n"),
            ("results.csv", (["point,output,mean,sd,p5,p50,p95"] + results).joined(separator: "\n") + "\n"),
            ("failures.csv", (["point,reason"] + failures).joined(separator: "\n") + "\n"),
            ("run.json", try JSONOutput.run(run)),
        ], to: directory)
    }
}

import DXExperiments
import DXSampling
import DXSupport
import Foundation

/// A results database as tidy CSV: `design.csv` (point, then the parameters in the sweep file's order: one row per
/// point run), `results.csv` (`point,output,mean,sd,p5,p50,p95`, ordered by point, then by the output's position in
/// the sweep file) and `failures.csv` (`point,reason`, one row per failed point), with `run.json`, as a set; on the
/// terminal what the database holds.
public struct ExportOutput: OutputSet {
    public var store: SweepStore
    public var record: StudyRecord

    public init(store: SweepStore, record: StudyRecord) { (self.store, self.record) = (store, record) }

    public func files() throws -> [OutputFiles.File] {
        let names = try store.parameterNames()
        func cell(_ v: SQLiteDatabase.Value) -> String {
            switch v {
            case let .real(x): NumberFormatting.exact(x)
            case let .integer(i): "\(i)"
            case let .text(s): s
            case .null: ""
            }
        }
        // Streamed row by row: memory stays flat however many points the database holds.
        func table(_ name: String, _ header: String, _ rows: @escaping (([SQLiteDatabase.Value]) throws -> Void) throws -> Void)
            -> OutputFiles.File {
            OutputFiles.File(name: name, write: { sink in
                try sink.write(header + "\n")
                try rows { try sink.write(CSVOutput.row($0.map(cell)) + "\n") }
            })
        }
        let failures = try store.failures().sorted { $0.key < $1.key }.map { CSVOutput.row(["\($0.key)", $0.value]) }
        return [table("design.csv", CSVOutput.row(["point"] + names), store.forEachDesignRow),
                table("results.csv", "point,output,mean,sd,p5,p50,p95", store.forEachResultRow),
                OutputFiles.File(name: "failures.csv", text: (["point,reason"] + failures).joined(separator: "\n") + "\n"),
                OutputFiles.File(name: "run.json", text: try JSONOutput.run(record))]
    }

    /// "3,000 points run (12 failed) of 3,000, 4 outputs, from results.sqlite".
    public func table(_ style: TerminalStyle) throws -> [TerminalText] {
        let done = try store.donePoints().count, failed = try store.failures().count, outputs = try store.outputNames().count
        return [TerminalText("""
            \(NumberFormatting.grouped(done)) points run\(failed > 0 ? " (\(NumberFormatting.grouped(failed)) failed)" : "") of \
            \(NumberFormatting.grouped(try store.pointCount())), \(outputs) output\(outputs == 1 ? "" : "s"), from \(store.path)
            """)]
    }
}

extension StudyRecord {
    /// The record of a study or export reading `store` (identified by the sweep it holds).
    public init(command: String, arguments: [String], store: SweepStore, wallTime: Double) throws {
        self.init(
            command: command, arguments: arguments, inputs: [Input(path: store.path, sha256: try store.meta("sha256") ?? "")],
            wallTime: wallTime)
    }
}

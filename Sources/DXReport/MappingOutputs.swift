import DXEngine
import Foundation

/// Writes the files of a mapping run into a directory: `summary.csv`,
/// `matrix.csv`, `matrix.svg` and `run.json`.
///
/// Each file is written to a temporary name and renamed into place, so a
/// failure part-way never leaves a truncated file or clobbers a previous
/// run's file with half of a new one.
public enum MappingOutputs {
    /// The files ``write(result:matrix:run:to:)`` writes, in order.
    public static let fileNames = ["summary.csv", "matrix.csv", "matrix.svg", "run.json"]

    /// Writes all outputs and returns their paths.
    @discardableResult
    public static func write(result: MappingResult, matrix: RiskReturnMatrix, run: RunRecord, to directory: String) throws -> [String] {
        let dir = URL(fileURLWithPath: directory, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: directory, reason: "cannot create the output directory: \(error.localizedDescription)")
        }
        let contents = [
            CSVOutput.summary(result),
            CSVOutput.matrix(matrix),
            MatrixChart.svg(matrix, title: chartTitle(result, matrix), subtitle: chartSubtitle(result, matrix)),
            try JSONOutput.run(run),
        ]
        return try zip(fileNames, contents).map { name, text in
            let target = dir.appendingPathComponent(name)
            do {
                try Data(text.utf8).write(to: target, options: .atomic)
            } catch {
                throw OutputError(path: target.path, reason: error.localizedDescription)
            }
            return target.path
        }
    }

    /// Title of the chart (the scenario's name).
    public static func chartTitle(_ result: MappingResult, _ m: RiskReturnMatrix) -> String {
        "\(result.scenarioName)"
    }

    /// Subtitle of the chart: level, view, draws, seed and horizon.
    public static func chartSubtitle(_ result: MappingResult, _ m: RiskReturnMatrix) -> String {
        "\(m.level.rawValue.capitalized) matrix, \(m.view == .probability ? "probability" : "risk–return") view · "
            + "\(result.draws) draws, seed \(result.seed), horizon \(result.horizon) years · colour: quadrant of the mean"
    }
}

/// An output file that could not be written.
public struct OutputError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): error: cannot write: \(reason)" }
}

import DXEngine
import Foundation

/// Writes the files of a mapping run into a directory: `summary.csv`,
/// `matrix.csv`, `matrix.svg` and `run.json`, each whole (see ``OutputFiles``).
public enum MappingOutputs {
    /// The files ``write(result:matrix:run:to:)`` writes, in order.
    public static let fileNames = ["summary.csv", "matrix.csv", "matrix.svg", "run.json"]

    /// Writes all outputs and returns their paths.
    @discardableResult
    public static func write(result: MappingResult, matrix: RiskReturnMatrix, run: RunRecord, to directory: String) throws -> [String] {
        let contents = [
            CSVOutput.summary(result),
            CSVOutput.matrix(matrix),
            MatrixChart.svg(matrix, title: chartTitle(result, matrix), subtitle: chartSubtitle(result, matrix)),
            try JSONOutput.run(run),
        ]
        return try OutputFiles.write(zip(fileNames, contents).map { ($0, $1) }, to: directory)
    }

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

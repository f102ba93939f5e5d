import DXEngine
import DXExperiments
import DXSampling
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

    /// The statistics of a run that are not finite numbers (`level id metric`), which the CSV files leave empty,
    /// JSON writes as null and the chart leaves out; the CLI announces them. Validation keeps them out in
    /// practice (every distribution has a finite mean and variance); this is the net under it.
    public static func nonFiniteStatistics(_ result: MappingResult) -> [String] {
        result.entities.enumerated().flatMap { e, entity in
            result.metrics.compactMap { metric -> String? in
                let s = result.summary(e, metric)
                let percentiles = result.percentileLevels.contains(entity.level) ? [s.p5, s.p25, s.p50, s.p75, s.p95] : []
                return ([s.mean, s.sd] + percentiles).allSatisfy(\.isFinite)
                    ? nil : "\(entity.level.rawValue) \(entity.id) \(metric.rawValue)"
            }
        }
    }

    public static func chartTitle(_ result: MappingResult, _ m: RiskReturnMatrix) -> String {
        "\(result.scenarioName)"
    }

    /// Subtitle of the chart: level, view, draws, seed and horizon.
    public static func chartSubtitle(_ result: MappingResult, _ m: RiskReturnMatrix) -> String {
        "\(m.level.rawValue.capitalized) matrix, \(m.view == .probability ? "probability" : "risk–return") view · "
            + "\(result.draws) draws, seed \(result.seed), horizon \(result.horizon) years · colour: quadrant of the mean"
    }

    /// With barriers: each service's share of work adopted within the horizon and the
    /// expected delay barriers add (labour-weighted means over draws), services with any delay first.
    public static func adoptionTable(_ result: MappingResult) -> [String] {
        let services = result.entities(at: .service).map { e -> (String, Double, Double) in
            let adopted = result.summary(level: .service, id: e.id, .adoptedByHorizon)?.mean ?? .nan
            let delay = result.summary(level: .service, id: e.id, .adoptionDelay)?.mean ?? .nan
            return (e.name, adopted, delay)
        }.sorted { $0.2 > $1.2 }
        let title = "adoption within \(result.horizon) years" + (result.programme.map { " (programme \($0))" } ?? " (no routines)")
        return [title] + TextTable.lines(headers: ["service", "adopted by horizon", "expected delay (years)"],
                rows: services.map { [shortened($0.0, to: 44), NumberFormatting.percent($0.1), String(format: "%.2f", $0.2)] },
                                        leftAligned: [0])
    }
}

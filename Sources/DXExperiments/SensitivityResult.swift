import DXAnalysis
import Foundation

/// What a sensitivity analysis found: per output, its typed indices (``MethodIndices``); its points' values; notes
/// and warnings.
public struct SensitivityResult: Sendable {
    /// One index of one parameter of one output, as `sensitivity.csv` writes it.
    public struct Row: Sendable {
        public var output: String
        public var parameter: String
        public var index: String
        public var estimate: Estimate
    }

    public let method: SensitivityMethod.Kind
    public let parameters: [String]
    public let draws: Int
    public let points: Int
    public let failures: [Int: String]
    /// Per output, in the order analysed: its indices under the study's method.
    public var indices: [(output: String, indices: MethodIndices)] = []
    /// Per output: Monte Carlo noise (mean se² of a point) as a share of the variance across points.
    public var noise: [(output: String, share: Double)] = []
    /// Per output: each point's mean and sd over draws.
    public var pointValues: [(output: String, mean: [Double], sd: [Double])] = []
    public var notes: [String] = []
    /// Per parameter: the range the study varies it over, in words ("0.8–1.3", "×0.9–×1.2", "+0–+2", "{a, b}").
    public var ranges: [String] = []
    /// Per parameter: its values at the tornado's low (5%) and high (95%) points.
    public var swingValues: [(low: String, high: String)] = []
    /// Problems with the indices themselves (Sobol: S1 above ST, intervals too wide), one line per output.
    public var warnings: [String] = []

    init(method: SensitivityMethod.Kind, parameters: [String], draws: Int, points: Int, failures: [Int: String]) {
        self.method = method
        self.parameters = parameters
        self.draws = draws
        self.points = points
        self.failures = failures
    }

    /// Noise shares above this are reported as a warning.
    public static let noiseWarningShare = 0.05

    /// Warnings and notes for the terminal: failed points, noisy outputs, dropped rows.
    public var messages: [String] {
        var out: [String] = []
        if !failures.isEmpty {
            let first = failures.sorted { $0.key < $1.key }.first!
            out.append("warning: \(failures.count) of \(points) points failed (first, point \(first.key): \(first.value)); see points.csv")
        }
        for (output, share) in noise where share > Self.noiseWarningShare {
            out.append(String(format: """
                warning: %@: Monte Carlo noise is %.0f%% of the variance across points; raise draws (now %d) for indices that measure the \
                inputs
                """, output, 100 * share, draws))
        }
        return out + warnings.map { "warning: " + $0 } + notes.map { "note: " + $0 }
    }

    /// The indices of `output` (nil for an output the study did not analyse).
    public func indices(of output: String) -> MethodIndices? {
        indices.first { $0.output == output }?.indices
    }

    /// Every output's indices as `sensitivity.csv` names them: one row per output, parameter and index.
    public var rows: [Row] {
        indices.flatMap { output, found in
            found.rows(parameters: parameters).map { Row(output: output, parameter: $0.parameter, index: $0.index, estimate: $0.estimate) }
        }
    }

    /// Output names in order.
    public var outputs: [String] { pointValues.map(\.output) }
}

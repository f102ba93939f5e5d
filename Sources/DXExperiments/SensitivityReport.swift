import DXAnalysis
import Foundation

/// What a sensitivity analysis found: one row per output, parameter and index, plus notes.
public struct SensitivityReport: Sendable {
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
    public var rows: [Row] = []
    /// Per output: Monte Carlo noise (mean se² of a point) as a share of the variance across points.
    public var noise: [(output: String, share: Double)] = []
    /// Tornado only: each output at the base point.
    public var bases: [(output: String, value: Double)] = []
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

    /// The estimate of `index` for each parameter of `output` (nil where absent).
    public func estimates(output: String, index: String) -> [Estimate?] {
        parameters.map { p in rows.first { $0.output == output && $0.parameter == p && $0.index == index }?.estimate }
    }

    /// Output names in order.
    public var outputs: [String] { pointValues.map(\.output) }
}

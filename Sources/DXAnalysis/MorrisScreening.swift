import DXSampling

/// Morris (1991) elementary-effects screening, with Campolongo et al.'s
/// (2007) μ*.
///
/// - **Sample**: r trajectories of k + 1 points on a p-level grid of the unit
///   cube; consecutive points differ in one input, by Δ = p / (2(p − 1))
///   (`ExperimentDesign/morris(trajectories:dimensions:levels:seed:)`).
/// - **Analyze**: each step gives the elementary effect of the input it moved,
///   EE = (f(x′) − f(x)) / (x′_i − x_i), in unit-cube coordinates (as SALib).
///   Per input: μ = mean EE, μ* = mean |EE|, σ = sample standard deviation of
///   EE (n − 1), and a bootstrap interval for μ* over trajectories.
/// - **Failed points**: a step touching a NaN output gives no effect; the
///   others still count (``Result/failedSteps``).
public enum MorrisScreening {
    public struct Design: Sendable, Equatable {
        public let dimensions: Int
        public let trajectories: Int
        public let levels: Int
        public let points: [[Double]]
    }

    /// Per input.
    public struct Effects: Sendable {
        public var mu: Double
        public var muStar: Estimate
        public var sigma: Double
        /// Elementary effects that entered (one per trajectory unless a step failed).
        public var count: Int
    }

    public struct Result: Sendable {
        public var effects: [Effects]
        public var failedSteps: Int
    }

    /// `trajectories` trajectories on a `levels`-level grid (levels even), drawn from a stream of `seed`.
    public static func sample(dimensions k: Int, trajectories r: Int, levels p: Int = 4, seed: UInt64) -> Design {
        precondition(k >= 1 && r >= 1 && p >= 2 && p % 2 == 0, "Morris needs k ≥ 1, r ≥ 1 and an even number of levels")
        return Design(dimensions: k, trajectories: r, levels: p,
            points: ExperimentDesign.morris(trajectories: r, dimensions: k, levels: p, seed: KeyedUniform.bits(seed, 0x0123_4567)).points)
    }

    /// The effects of one output, `y[p]` at `design.points[p]`.
    public static func analyze(_ design: Design, outputs y: [Double], resamples: Int = 1000,
                               confidence: Double = 0.95, seed: UInt64 = 1) -> Result {
        precondition(y.count == design.points.count, "one output per design point")
        let k = design.dimensions
        // effects[t][i]: the effect of input i in trajectory t (NaN when its step failed).
        var effects = Array(repeating: [Double](repeating: .nan, count: k), count: design.trajectories)
        var failed = 0
        for t in 0..<design.trajectories {
            for s in 0..<k {
                let p = t * (k + 1) + s
                let (x, next) = (design.points[p], design.points[p + 1])
                guard let i = (0..<k).first(where: { x[$0] != next[$0] }) else { continue }
                let effect = (y[p + 1] - y[p]) / (next[i] - x[i])
                if effect.isFinite { effects[t][i] = effect } else { failed += 1 }
            }
        }
        let muStar = Bootstrap.estimates(units: design.trajectories, count: k, resamples: resamples,
                                         confidence: confidence, seed: seed) { sample in
            (0..<k).map { i in
                let e = sample.map { effects[$0][i] }.filter(\.isFinite)
                return e.isEmpty ? .nan : e.reduce(0) { $0 + abs($1) } / Double(e.count)
            }
        }
        let result = (0..<k).map { i -> Effects in
            let e = effects.map { $0[i] }.filter(\.isFinite)
            let n = Double(e.count)
            let mu = e.reduce(0, +) / n
            let sigma = e.count > 1 ? (e.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / (n - 1)).squareRoot() : .nan
            return Effects(mu: mu, muStar: muStar[i], sigma: sigma, count: e.count)
        }
        return Result(effects: result, failedSteps: failed)
    }
}

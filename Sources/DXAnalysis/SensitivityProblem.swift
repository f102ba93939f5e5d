import DXSampling

/// The inputs of a sensitivity analysis, as SALib calls a "problem": a name
/// per input and how a design coordinate u ∈ [0, 1] maps to its value.
///
/// Every method here is split in two, like SALib: *sample* places points in
/// the unit cube [0, 1]^k (``values(at:)`` turns one into model inputs),
/// the caller evaluates its model at each point however it likes (a
/// closure, a scenario sweep, a cluster job), and *analyze* turns the
/// outputs, in the same order, into indices. ``evaluate(_:_:)`` does the
/// middle step for a plain closure.
public struct SensitivityProblem: Sendable {
    /// How one input's value follows from its design coordinate.
    public enum Input: Sendable, Equatable {
        /// Uniform on [min, max]: value = min + u·(max − min).
        case uniform(min: Double, max: Double)
        /// Any distribution, through its quantile function: value = F⁻¹(u) (u clamped into (0, 1)).
        case distribution(Distribution)
    }

    public var names: [String]
    public var inputs: [Input]

    public init(names: [String], inputs: [Input]) {
        precondition(names.count == inputs.count, "one name per input")
        self.names = names
        self.inputs = inputs
    }

    /// A problem whose inputs are all uniform on the given bounds.
    public init(names: [String], bounds: [(Double, Double)]) {
        self.init(names: names, inputs: bounds.map { .uniform(min: $0.0, max: $0.1) })
    }

    public var dimensions: Int { inputs.count }

    /// The model inputs at design point `u`.
    public func values(at u: [Double]) -> [Double] {
        zip(inputs, u).map { input, u in
            switch input {
            case let .uniform(lo, hi): lo + u * (hi - lo)
            case let .distribution(d): d.quantile(Swift.min(Swift.max(u, 1e-12), 1 - 1e-12))
            }
        }
    }

    /// Evaluates `model` at every design point, in order.
    public func evaluate(_ points: [[Double]], _ model: ([Double]) -> Double) -> [Double] {
        points.map { model(values(at: $0)) }
    }
}

/// A sensitivity estimate with its bootstrap confidence interval.
public struct Estimate: Sendable, Equatable {
    public var value: Double
    public var low: Double
    public var high: Double

    public init(value: Double, low: Double, high: Double) {
        self.value = value
        self.low = low
        self.high = high
    }

    /// Whether `x` lies in [low, high].
    public func covers(_ x: Double) -> Bool { low <= x && x <= high }
}

/// Percentile bootstrap over independent units (base rows, trajectories).
enum Bootstrap {
    /// The estimate on all units and the (1 − confidence)/2 and (1 + confidence)/2 percentiles of
    /// `resamples` estimates on units drawn with replacement. `statistic` receives unit indices.
    /// The resampling stream is fixed by `seed`, so intervals are reproducible.
    static func estimates(units: Int, count: Int, resamples: Int, confidence: Double, seed: UInt64,
                          _ statistic: ([Int]) -> [Double]) -> [Estimate] {
        let all = statistic(Array(0..<units))
        guard units > 1, resamples > 0 else { return all.map { Estimate(value: $0, low: .nan, high: .nan) } }
        let stream = RandomStream(seed: seed, stream: 0xB007)
        var draws = Array(repeating: [Double](), count: count)
        var indices = [Int](repeating: 0, count: units)
        for _ in 0..<resamples {
            for j in 0..<units { indices[j] = stream.uniformInt(units) }
            for (k, v) in statistic(indices).enumerated() where v.isFinite { draws[k].append(v) }
        }
        let lowQ = (1 - confidence) / 2, highQ = (1 + confidence) / 2
        return all.enumerated().map { k, value in
            let sorted = draws[k].sorted()
            guard !sorted.isEmpty else { return Estimate(value: value, low: .nan, high: .nan) }
            return Estimate(value: value, low: percentile(sorted, lowQ), high: percentile(sorted, highQ))
        }
    }

    /// Linear interpolation between order statistics (type 7, as NumPy's default).
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let h = q * Double(sorted.count - 1)
        let i = Int(h.rounded(.down)), f = h - Double(i)
        return i + 1 < sorted.count ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i]
    }
}

import DXAnalysis
import DXSampling
import DXScenario
import DXSupport
import Foundation

// Everything that differs from one sensitivity method to another, in one place: the method and its settings, its
// design, its analysis of one output into typed indices, and the names its indices have in sensitivity.csv. A new
// method is a case here, its algorithm in DXAnalysis, and its table and chart in DXReport's SensitivityChart.swift;
// the switches are exhaustive, so the compiler lists what it still needs.

/// Which sensitivity method a study runs, with its design settings.
public enum SensitivityMethod: Sendable, Equatable {
    /// Sobol indices from a Saltelli design of `baseRows` rows (N(k + 2) points, N(2k + 2) with second order),
    /// Owen-scrambled unless `scramble` is false (``SensitivityStudy/scrambleSeed(sweepSeed:)``).
    case sobol(baseRows: Int, secondOrder: Bool, scramble: Bool = true)
    /// Morris screening with `trajectories` trajectories on a `levels`-level grid (r(k + 1) points).
    case morris(trajectories: Int, levels: Int)
    /// One-at-a-time swings between each parameter's 5% and 95% points (2k + 1 points).
    case tornado

    /// The method without its settings: what a report, a chart and a file name are keyed by.
    public enum Kind: String, Sendable, CaseIterable {
        case sobol, morris, tornado
    }

    public var kind: Kind {
        switch self {
        case .sobol: .sobol
        case .morris: .morris
        case .tornado: .tornado
        }
    }

    /// The method's name as the CLI and files write it (`sobol`, `morris`, `tornado`).
    public var name: String { kind.rawValue }

    /// The Saltelli base rows a Sobol study uses unless told otherwise. On the bundled Italian study, the 95%
    /// intervals of the leading inputs' S1 were 0.27–0.33 wide at 128 rows, 0.13–0.16 at 512 and 0.10–0.11 at
    /// 1,024 (docs/guide/sweeps.md, "Sensitivity and scenario discovery"); SALib users work with 512–1,024.
    public static let defaultSobolBase = 1024
    /// Morris trajectories and grid levels unless told otherwise (Campolongo et al. 2007 use 10–20 trajectories
    /// on 4 levels; SALib's default levels are 4).
    public static let defaultMorrisTrajectories = 20
    public static let defaultMorrisLevels = 4

    /// The method of `kind`, with the defaults for what is not given: `base` is the Saltelli base rows (Sobol) or
    /// the trajectories (Morris); the tornado takes no settings.
    public init(_ kind: Kind, base: Int? = nil, levels: Int? = nil, secondOrder: Bool = false, scramble: Bool = true) {
        switch kind {
        case .sobol: self = .sobol(baseRows: base ?? Self.defaultSobolBase, secondOrder: secondOrder, scramble: scramble)
        case .morris: self = .morris(trajectories: base ?? Self.defaultMorrisTrajectories, levels: levels ?? Self.defaultMorrisLevels)
        case .tornado: self = .tornado
        }
    }

    /// What is wrong with `rows` as a Saltelli base (nil when it is a power of two from 2 to 2²⁰).
    public static func sobolBaseProblem(_ rows: Int) -> String? {
        (2...(1 << 20)).contains(rows) && rows & (rows - 1) == 0 ? nil
            : "the Sobol base must be a power of two from 2 to 1048576 (only then is the Saltelli design balanced), found \(rows)"
    }

    /// The method's own design over `k` parameters of a sweep seeded `sweepSeed`; nil when the method cannot take
    /// that many parameters (Sobol: `SobolIndices.maxDimensions`).
    func design(dimensions k: Int, sweepSeed seed: UInt64) -> SensitivityStudy.Design? {
        switch self {
        case let .sobol(n, second, scramble):
            SobolIndices.sample(dimensions: k, baseRows: n, secondOrder: second,
                                scramble: scramble ? SensitivityStudy.scrambleSeed(sweepSeed: seed) : nil).map(SensitivityStudy.Design.sobol)
        case let .morris(r, p): .morris(MorrisScreening.sample(dimensions: k, trajectories: r, levels: p, seed: seed))
        case .tornado: .tornado(OneAtATimeSwing.sample(dimensions: k))
        }
    }

    /// Identifies the design in the results database: a database made by another design is not resumed.
    /// A scrambled Sobol design names its scramble seed, which follows from the sweep seed.
    func label(sweepSeed: UInt64) -> String {
        switch self {
        case let .sobol(n, second, scramble):
            "sensitivity sobol base=\(n) second-order=\(second) scramble=" + (scramble ? """
                owen seed=\(SensitivityStudy.scrambleSeed(sweepSeed: sweepSeed))
                """ : "none")
        case let .morris(r, p): "sensitivity morris trajectories=\(r) levels=\(p)"
        case .tornado: "sensitivity tornado low=0.05 high=0.95"
        }
    }
}

/// One output's indices under a study's method, typed. The names `sensitivity.csv` gives them (`S1`, `mu_star`,
/// `swing_low`…) appear only in ``rows(parameters:)``.
public enum MethodIndices: Sendable {
    /// Per parameter, the first-order (S1) and total (ST) index; per pair i < j, the second-order index (S2) when the
    /// design has second order (`second[i][j]`, nil elsewhere).
    case sobol(first: [Estimate], total: [Estimate], second: [[Estimate?]])
    /// Per parameter, the mean elementary effect μ, the mean absolute effect μ* with its bootstrap interval, and σ.
    case morris(mu: [Double], muStar: [Estimate], sigma: [Double])
    /// The output at the base point (every parameter at its median); per parameter, the output with that parameter at
    /// its 5% and its 95% point, each with its Monte Carlo interval.
    case tornado(base: Double, low: [Estimate], high: [Estimate])

    public var kind: SensitivityMethod.Kind {
        switch self {
        case .sobol: .sobol
        case .morris: .morris
        case .tornado: .tornado
        }
    }

    /// `sensitivity.csv`'s rows for this output: each index under its file name, parameter by parameter (Sobol's
    /// second-order pairs last, named `a:b`); a value without an interval has NaN bounds.
    public func rows(parameters: [String]) -> [(parameter: String, index: String, estimate: Estimate)] {
        func point(_ v: Double) -> Estimate { Estimate(value: v, low: .nan, high: .nan) }
        switch self {
        case let .sobol(first, total, second):
            let main = parameters.indices.flatMap { i in [(parameters[i], "S1", first[i]), (parameters[i], "ST", total[i])] }
            let pairs = parameters.indices.flatMap { i in
                parameters.indices.filter { $0 > i }.compactMap { j in
                    second.indices.contains(i) && second[i].indices.contains(j)
                        ? second[i][j].map { ("\(parameters[i]):\(parameters[j])", "S2", $0) } : nil
                }
            }
            return main + pairs
        case let .morris(mu, muStar, sigma):
            return parameters.indices.flatMap { i in
                [(parameters[i], "mu", point(mu[i])), (parameters[i], "mu_star", muStar[i]), (parameters[i], "sigma", point(sigma[i]))]
            }
        case let .tornado(_, low, high):
            return parameters.indices.flatMap { i in [(parameters[i], "swing_low", low[i]), (parameters[i], "swing_high", high[i])] }
        }
    }
}

extension SensitivityStudy {
    public enum Design: Sendable {
        case sobol(SobolIndices.Design)
        case morris(MorrisScreening.Design)
        case tornado(OneAtATimeSwing.Design)

        var points: [[Double]] {
            switch self {
            case let .sobol(d): d.points
            case let .morris(d): d.points
            case let .tornado(d): d.points
            }
        }
    }

    /// One output's indices, with the notes and warnings they need.
    struct Found {
        var indices: MethodIndices
        var notes: [String] = []
        var warnings: [String] = []
    }

    /// The method's analysis of one output: `mean[p]` and its standard error at design point p.
    func analyze(_ name: String, mean: [Double], standardErrors se: [Double]) -> Found {
        switch design {
        case let .sobol(d): sobol(d, name, mean)
        case let .morris(d): morris(d, name, mean)
        case let .tornado(d): tornado(d, name, mean, standardErrors: se)
        }
    }

    /// One output's first-order, total and second-order Sobol indices, with notes on failed rows and the warnings
    /// of ``sobolWarnings(_:output:parameters:baseRows:)``.
    func sobol(_ d: SobolIndices.Design, _ name: String, _ mean: [Double]) -> Found {
        let r = SobolIndices.analyze(d, outputs: mean, resamples: resamples, confidence: confidence, seed: plan.definition.seed)
        var found = Found(indices: .sobol(first: r.firstOrder, total: r.total, second: r.secondOrder))
        if r.failedRows > 0 {
            found.notes.append("""
                \(name): Sobol estimators used \(r.completeRows) of \(d.baseRows) rows; \(r.failedRows) rows held a failed point \
                and were left out whole
                """)
        }
        if r.completeRows < 2 { found.notes.append("\(name): fewer than 2 complete rows, no indices") }
        found.warnings = Self.sobolWarnings(r, output: name, parameters: parameterNames, baseRows: d.baseRows)
        return found
    }

    /// One output's Morris μ, μ* (with its bootstrap interval) and σ, with a note on failed elementary effects.
    func morris(_ d: MorrisScreening.Design, _ name: String, _ mean: [Double]) -> Found {
        let r = MorrisScreening.analyze(d, outputs: mean, resamples: resamples, confidence: confidence, seed: plan.definition.seed)
        var found = Found(indices: .morris(mu: r.effects.map(\.mu), muStar: r.effects.map(\.muStar), sigma: r.effects.map(\.sigma)))
        if r.failedSteps > 0 {
            found.notes.append("""
                \(name): \(r.failedSteps) of \(d.trajectories * d.dimensions) elementary effects touch a failed point and were \
                left out
                """)
        }
        return found
    }

    /// One output's one-at-a-time swings: its base and, per parameter, its value at the low and high swing with the
    /// Monte Carlo interval of each point.
    func tornado(_ d: OneAtATimeSwing.Design, _ name: String, _ mean: [Double], standardErrors se: [Double]) -> Found {
        let r = OneAtATimeSwing.analyze(d, outputs: mean)
        let z = standardNormalQuantile(0.5 + confidence / 2)
        func at(_ point: Int) -> Estimate {
            let v = mean[point], h = z * se[point]
            return Estimate(value: v, low: v - h, high: v + h)
        }
        let k = parameterNames.count
        var found = Found(indices: .tornado(base: r.base, low: (0..<k).map { at(2 * $0 + 1) }, high: (0..<k).map { at(2 * $0 + 2) }))
        if !r.base.isFinite { found.notes.append("\(name): the base point failed, so swings have no reference") }
        return found
    }

    /// The widest interval a Sobol index may have before the report warns that it is not yet usable.
    public static let widestUsableInterval = 0.1

    /// Warnings about one output's Sobol indices, each naming the parameters: an S1 above its ST beyond
    /// what the bootstrap interval of their difference allows, and intervals wider than
    /// ``widestUsableInterval``.
    static func sobolWarnings(_ r: SobolIndices.Result, output: String, parameters: [String], baseRows: Int) -> [String] {
        func f(_ x: Double) -> String { String(format: "%.2f", x) }
        var warnings: [String] = []
        let inverted = parameters.indices.filter { r.firstMinusTotal[$0].low > 0 }
        if !inverted.isEmpty {
            let which = inverted.map { """
                \(parameters[$0]) (S1 \(f(r.firstOrder[$0].value)) > ST \(f(r.total[$0].value)), difference \
                [\(f(r.firstMinusTotal[$0].low)), \(f(r.firstMinusTotal[$0].high))])
                """ }
            warnings.append("""
                \(output): S1 exceeds ST beyond the 95% interval of their difference for \(which.joined(separator: ", ")): the design is \
                too small or the outputs too noisy for this output; raise --base (now \(baseRows)) or draws
                """)
        }
        var wide: [String] = []
        for (i, p) in parameters.enumerated() {
            let widths = [("S1", r.firstOrder[i]), ("ST", r.total[i])].filter { $0.1.high - $0.1.low > widestUsableInterval }
            if !widths.isEmpty {
                wide.append("\(p) (" + widths.map { "\($0.0) ±\(f(($0.1.high - $0.1.low) / 2))" }.joined(separator: ", ") + ")")
            }
        }
        if !wide.isEmpty {
            warnings.append("""
                \(output): 95% intervals wider than \(widestUsableInterval) for \(wide.joined(separator: ", ")); raise --base (now \
                \(baseRows)) for indices that rank these parameters
                """)
        }
        return warnings
    }
}

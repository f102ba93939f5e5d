import DXAnalysis
import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

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

/// A sensitivity analysis of a sweep's outputs with respect to its
/// parameters: the method's own design, run as a sweep (resumable, shardable,
/// on common random numbers), then analysed.
///
/// Each sweep parameter's range (`scale`, `set`, `shift`) or list of
/// values is taken as its uncertainty: uniform over the range, or equally
/// likely values. Every point runs on the sweep seed itself (common random
/// numbers), so two points differ by their parameters and not by their
/// draws. Points whose scenario becomes invalid, whose run fails, or whose
/// output is not a number are recorded as failed, and the analysis says how
/// many it left out.
public struct SensitivityStudy: Sendable {
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

    public let method: SensitivityMethod
    public let plan: SweepPlan
    public let outputs: [SweepOutput]
    public let design: Design

    /// Bootstrap resamples for confidence intervals, and their level.
    public var resamples = 1000
    public var confidence = 0.95

    /// The seed of a Sobol study's Owen scrambling: a fixed function of the sweep seed, so a study reruns
    /// identically, and recorded in the results database with the design (`meta.design_label`).
    public static func scrambleSeed(sweepSeed: UInt64) -> UInt64 { KeyedUniform.bits(sweepSeed, 0x5A17_E111) }

    /// Loads the sweep at `path` with the method's design in place of the file's.
    /// - Throws: `ScenarioError` for a bad sweep file (or more parameters than a Sobol design takes);
    ///   `RunSettingsError` for a Sobol base that is not a power of two.
    public static func load(path: String, method: SensitivityMethod) throws -> SensitivityStudy {
        if case let .sobol(n, _, _) = method, let problem = SensitivityMethod.sobolBaseProblem(n) { throw RunSettingsError(problem) }
        let make: @Sendable (Int, UInt64) -> Design? = { k, seed in
            switch method {
            case let .sobol(n, second, scramble):
                SobolIndices.sample(
                    dimensions: k, baseRows: n, secondOrder: second, scramble: scramble ? scrambleSeed(sweepSeed: seed) : nil
                )
                    .map(Design.sobol)
            case let .morris(r, p): .morris(MorrisScreening.sample(dimensions: k, trajectories: r, levels: p, seed: seed))
            case .tornado: .tornado(OneAtATimeSwing.sample(dimensions: k))
            }
        }
        let plan = try SweepLoader.load(
            path: path,
            design: SweepDesignOverride(
                label: { method.label(sweepSeed: $0) }, commonRandomNumbers: true,
                                                                          keepsInvalidPoints: true) { parameters, seed in
            .list(make(parameters.count, seed)?.points ?? [])
        })
        let k = plan.definition.parameters.count
        guard let design = make(k, plan.definition.seed) else {
            let at = plan.definition.parameters.last?.location ?? SourceLocation(file: path, line: 1, column: 1)
            throw ScenarioError(issues: [ScenarioIssue(location: at, path: "parameters",
                                                       message: """
                                                           Sobol indices take at most \(SobolIndices.maxDimensions) parameters (the Sobol \
                                                           sequence here has \(ExperimentDesign.sobolMaxDimensions) dimensions), this \
                                                           sweep has \(k)
                                                           """)])
        }
        let outputs = try SweepOutput.resolve(plan.definition, base: plan.base)
        return SensitivityStudy(method: method, plan: plan, outputs: outputs, design: design)
    }

    /// The first of `selected` that is not an output of the sweep, and what is wrong with it; nil when all are.
    public func unknownOutput(in selected: [String]) -> (name: String, problem: String)? {
        let names = outputs.map(\.name)
        guard let bad = selected.first(where: { !names.contains($0) }) else { return nil }
        return (bad, """
            --output \(bad) is not an output of \(plan.definition.file)\(Suggestion.didYouMean(bad, among: names)); its outputs are \
            \(names.prefix(12).joined(separator: ", "))\(names.count > 12 ? ", …" : "")
            """)
    }

    /// Whether the sweep file had a `design:` of its own (which the study does not use).
    public var fileDesignIgnored: Bool { plan.definition.design != nil }

    /// The parameters' names, in the sweep file's order.
    public var parameterNames: [String] { plan.definition.parameters.map(\.name) }

    /// Analyses the outputs named `selected` (all the sweep's outputs when nil) from a store holding every point.
    public func analyze(store: SweepStore, outputs selected: [String]? = nil) throws -> SensitivityReport {
        if let (name, problem) = unknownOutput(in: selected ?? []) { throw UnknownNameError(kind: "output", name: name, message: problem) }
        let names = outputs.map(\.name)
        let done = try store.donePoints()
        let missing = (0..<plan.pointCount).filter { !done.contains($0) }
        guard missing.isEmpty else {
            throw DataError(path: store.path, message: """
                holds \(done.count) of \(plan.pointCount) points; run the rest (with --resume, or merge the other shards) before the \
                analysis
                """)
        }
        let failures = try store.failures()
        let parameters = parameterNames
        var report = SensitivityReport(method: method.kind, parameters: parameters, draws: plan.definition.draws,
                                       points: plan.pointCount, failures: failures)
        report.ranges = plan.definition.parameters.map(\.rangeDescription)
        report.swingValues = plan.definition.parameters.map { p in
            (p.describeValue(at: OneAtATimeSwing.defaultLow), p.describeValue(at: OneAtATimeSwing.defaultHigh))
        }
        for name in selected ?? names {
            let (mean, sd) = try store.values(of: name)
            report.pointValues.append((name, mean, sd))
            let se = sd.map { $0 / Double(plan.definition.draws).squareRoot() }
            let share = Self.noiseShare(mean: mean, standardError: se)
            report.noise.append((name, share))
            let finite = mean.filter(\.isFinite)
            if let first = finite.first, finite.allSatisfy({ $0 == first }) {
                report.notes.append("\(name) is the same at every point: on common random numbers, no parameter moves it")
            }
            switch design {
            case let .sobol(d): addSobol(d, name, mean, to: &report)
            case let .morris(d): addMorris(d, name, mean, to: &report)
            case let .tornado(d): addTornado(d, name, mean, standardErrors: se, to: &report)
            }
        }
        return report
    }

    /// One output's first-order, total and second-order Sobol indices, with notes on failed rows and the warnings
    /// of ``sobolWarnings(_:output:parameters:baseRows:)``.
    func addSobol(_ d: SobolIndices.Design, _ name: String, _ mean: [Double], to report: inout SensitivityReport) {
        let parameters = parameterNames
        let r = SobolIndices.analyze(d, outputs: mean, resamples: resamples, confidence: confidence, seed: plan.definition.seed)
        for (i, p) in parameters.enumerated() {
            report.rows.append(.init(output: name, parameter: p, index: "S1", estimate: r.firstOrder[i]))
            report.rows.append(.init(output: name, parameter: p, index: "ST", estimate: r.total[i]))
        }
        for i in parameters.indices { for j in parameters.indices where j > i {
                if let e = r.secondOrder[i][j] {
                    report.rows.append(
                        .init(output: name, parameter: "\(parameters[i]):\(parameters[j])", index: "S2", estimate: e))
                }
        } }
        if r.failedRows > 0 {
            report.notes.append("""
                \(name): Sobol estimators used \(r.completeRows) of \(d.baseRows) rows; \(r.failedRows) rows held a failed point \
                and were left out whole
                """)
        }
        if r.completeRows < 2 { report.notes.append("\(name): fewer than 2 complete rows, no indices") }
        report.warnings += Self.sobolWarnings(r, output: name, parameters: parameters, baseRows: d.baseRows)
    }

    /// One output's Morris μ, μ* (with its bootstrap interval) and σ, with a note on failed elementary effects.
    func addMorris(_ d: MorrisScreening.Design, _ name: String, _ mean: [Double], to report: inout SensitivityReport) {
        let parameters = parameterNames
        let r = MorrisScreening.analyze(d, outputs: mean, resamples: resamples, confidence: confidence, seed: plan.definition.seed)
        for (i, p) in parameters.enumerated() {
            let e = r.effects[i]
            report.rows.append(
                .init(output: name, parameter: p, index: "mu", estimate: Estimate(value: e.mu, low: .nan, high: .nan)))
            report.rows.append(.init(output: name, parameter: p, index: "mu_star", estimate: e.muStar))
            report.rows.append(
                .init(output: name, parameter: p, index: "sigma", estimate: Estimate(value: e.sigma, low: .nan, high: .nan)))
        }
        if r.failedSteps > 0 {
            report.notes.append("""
                \(name): \(r.failedSteps) of \(d.trajectories * d.dimensions) elementary effects touch a failed point and were \
                left out
                """)
        }
    }

    /// One output's one-at-a-time swings: its base and, per parameter, its value at the low and high swing with the
    /// Monte Carlo interval of each point.
    func addTornado(_ d: OneAtATimeSwing.Design, _ name: String, _ mean: [Double], standardErrors se: [Double], to report: inout SensitivityReport) {
        let parameters = parameterNames
        let r = OneAtATimeSwing.analyze(d, outputs: mean)
        report.bases.append((name, r.base))
        let z = standardNormalQuantile(0.5 + confidence / 2)
        for (i, p) in parameters.enumerated() {
            for (index, point) in [("swing_low", 2 * i + 1), ("swing_high", 2 * i + 2)] {
                let v = mean[point], h = z * se[point]
                report.rows.append(
                    .init(output: name, parameter: p, index: index, estimate: Estimate(value: v, low: v - h, high: v + h)))
            }
        }
        if !r.base.isFinite { report.notes.append("\(name): the base point failed, so swings have no reference") }
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

    /// Mean Monte Carlo variance of a point's output (se²) as a share of the variance of the outputs across points
    /// (NaN when the outputs do not vary).
    static func noiseShare(mean: [Double], standardError se: [Double]) -> Double {
        let pairs = zip(mean, se).filter { $0.0.isFinite && $0.1.isFinite }
        guard pairs.count > 1 else { return .nan }
        let m = pairs.reduce(0) { $0 + $1.0 } / Double(pairs.count)
        let spread = pairs.reduce(0) { $0 + ($1.0 - m) * ($1.0 - m) } / Double(pairs.count - 1)
        let noise = pairs.reduce(0) { $0 + $1.1 * $1.1 } / Double(pairs.count)
        return spread > 0 ? noise / spread : .nan
    }
}

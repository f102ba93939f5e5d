import DXAnalysis
import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

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
        let plan = try SweepLoader.load(
            path: path,
            design: SweepDesignOverride(
                label: { method.label(sweepSeed: $0) }, commonRandomNumbers: true,
                                                                          keepsInvalidPoints: true) { parameters, seed in
            .list(method.design(dimensions: parameters.count, sweepSeed: seed)?.points ?? [])
        })
        let k = plan.definition.parameters.count
        guard let design = method.design(dimensions: k, sweepSeed: plan.definition.seed) else {
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
    public func analyze(store: SweepStore, outputs selected: [String]? = nil) throws -> SensitivityResult {
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
        var report = SensitivityResult(method: method.kind, parameters: parameters, draws: plan.definition.draws,
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
            let found = analyze(name, mean: mean, standardErrors: se)
            report.indices.append((name, found.indices))
            report.notes += found.notes
            report.warnings += found.warnings
        }
        return report
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

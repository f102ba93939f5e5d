import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

/// One quantity a sweep keeps per point: `LEVEL[ID].METRIC`, `total.METRIC` or
/// `redeploy.POLICY.METRIC` (over the horizon; POLICY `baseline` means the
/// point's first policy, which is the chosen one when a parameter picks it).
/// A redeployment output keeps one year with `@yearN` (`redeploy.shared-pool.redundant@year3`) or every year of
/// the base scenario's horizon with `@year*` (one output per year): the yearly series from which a sweep report
/// draws envelopes of outcomes over time.
public struct SweepOutput: Sendable, Equatable {
    /// Where an output's numbers come from: a mapping metric of an entity, or a redeployment metric of a policy.
    public enum Source: Sendable, Equatable {
        case mapping(Level, id: String, Metric)
        /// Year 0 is the whole horizon; 1… a year of it.
        case redeployment(policy: String, RedeploymentMetric, year: Int)
    }

    /// The output's name without its `@yearN` and that year, or nil for an output over the horizon.
    public static func yearly(_ name: String) -> (series: String, year: Int)? {
        guard let at = name.range(of: "@year", options: .backwards), let year = Int(name[at.upperBound...]), year >= 1 else {
            return nil
        }
        return (String(name[..<at.lowerBound]), year)
    }

    public var name: String
    public var source: Source

    /// An output as is, unchecked (`resolve(_:base:)` checks names against a scenario).
    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }

    /// Expands wildcards against the base scenario and checks every name; throws a message naming the bad output.
    public static func resolve(_ specs: [String], base: Scenario) throws -> [SweepOutput] {
        let entities = try MappingEngine.entities(of: base)
        return try specs.flatMap { try resolve($0, base: base, entities: entities) }
    }

    /// The outputs of a sweep file, checked against its base scenario.
    /// - Throws: `ScenarioError` with every bad output, each at its line and column in the sweep file.
    public static func resolve(_ definition: SweepDefinition, base: Scenario) throws -> [SweepOutput] {
        let entities = try MappingEngine.entities(of: base)
        var result: [SweepOutput] = [], issues: [ScenarioIssue] = []
        for (k, spec) in definition.outputs.enumerated() {
            do {
                result += try resolve(spec, base: base, entities: entities)
            } catch let error as UnknownNameError {
                let location =
                    k < definition.outputLocations.count
                    ? definition.outputLocations[k] : SourceLocation(file: definition.file, line: 1, column: 1)
                issues.append(ScenarioIssue(location: location, path: "outputs[\(k)]", message: error.message))
            }
        }
        guard issues.isEmpty else { throw ScenarioError(issues: issues) }
        return result
    }

    static func resolve(_ spec: String, base: Scenario, entities: [Entity]) throws -> [SweepOutput] {
        var spec = spec, years = [0]
        if let at = spec.range(of: "@") {
            let suffix = String(spec[at.upperBound...]), whole = spec
            spec = String(spec[..<at.lowerBound])
            guard spec.hasPrefix("redeploy.") else {
                throw UnknownNameError(kind: "output", name: whole, message: """
                    output '\(whole)': only redeployment outputs (redeploy.POLICY.METRIC) have yearly values (@yearN, @year*)
                    """)
            }
            if suffix == "year*" {
                years = Array(1...max(1, base.horizon))
            } else if suffix.hasPrefix("year"), let n = Int(suffix.dropFirst(4)), (1...base.horizon).contains(n) {
                years = [n]
            } else {
                throw UnknownNameError(kind: "output", name: whole, message: """
                    output '\(whole)': expected @year1 … @year\(base.horizon) (the base scenario's horizon) or @year* for every year, \
                    found @\(suffix)
                    """)
            }
        }
        let parts = spec.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "redeploy" {
            let metrics = RedeploymentMetric.allCases.map(\.name)
            guard parts.count == 3, let metric = RedeploymentMetric.allCases.first(where: { $0.name == parts[2] }) else {
                let hint = parts.count == 3 ? Suggestion.didYouMean(parts[2], among: metrics) : ""
                throw UnknownNameError(kind: "output", name: spec, message: """
                    output '\(spec)': expected redeploy.POLICY.METRIC with METRIC one of \(metrics.joined(separator: ", "))\(hint)
                    """)
            }
            guard base.workforce != nil, !base.policies.isEmpty else {
                throw UnknownNameError(kind: "output", name: spec, message: """
                    output '\(spec)' needs a scenario with 'workforce:' and 'policies:'
                    """)
            }
            let ids = base.policies.map(\.id)
            let policies = parts[1] == "*" ? ids : [parts[1]]
            for p in policies where p != "baseline" && !ids.contains(p) {
                throw UnknownNameError(kind: "output", name: spec, message: """
                    output '\(spec)': no policy '\(p)'\(Suggestion.didYouMean(p, among: ids + ["baseline"])); the scenario's policies are \
                    \(ids.joined(separator: ", ")) (or baseline)
                    """)
            }
            return policies.flatMap { policy in
                years.map { year in
                    SweepOutput(name: "redeploy.\(policy).\(metric.name)" + (year > 0 ? "@year\(year)" : ""),
                                source: .redeployment(policy: policy, metric, year: year))
                }
            }
        }
        guard parts.count == 2, let metric = Metric(rawValue: parts[1]) else {
            let metrics = Metric.allCases.map(\.rawValue)
            let hint = parts.count == 2 ? Suggestion.didYouMean(parts[1], among: metrics) : ""
            throw UnknownNameError(kind: "output", name: spec, message: """
                output '\(spec)': expected LEVEL[ID].METRIC, total.METRIC or redeploy.POLICY.METRIC, with METRIC one of \
                \(metrics.joined(separator: ", "))\(hint)
                """)
        }
        if parts[0] == "total" {
            return [SweepOutput(name: spec, source: .mapping(.total, id: "total", metric))]
        }
        guard let open = parts[0].firstIndex(of: "["), parts[0].hasSuffix("]"),
              let level = Level(rawValue: String(parts[0][..<open])), level != .total else {
            throw UnknownNameError(kind: "output", name: spec, message: """
                output '\(spec)': expected a level (task, service, role, organisation) with [ID] or [*], or total
                """)
        }
        let id = String(parts[0][parts[0].index(after: open)..<parts[0].index(before: parts[0].endIndex)])
        let ids = entities.filter { $0.level == level }.map(\.id)
        guard id == "*" || ids.contains(id) else {
            throw UnknownNameError(kind: "output", name: spec, message: """
                output '\(spec)': no \(level.rawValue) '\(id)'\(Suggestion.didYouMean(id, among: ids)); the scenario's \(level.rawValue)s \
                are \(ids.prefix(12).joined(separator: ", "))\(ids.count > 12 ? ", …" : "")
                """)
        }
        return (id == "*" ? ids : [id]).map {
            SweepOutput(name: "\(level.rawValue)[\($0)].\(metric.rawValue)", source: .mapping(level, id: $0, metric))
        }
    }

    /// Runs one point — the mapping, and the redeployment when an output needs it — and returns each output's
    /// summary (NaN statistics where the point's scenario lacks the entity or policy). `sampling` (a sweep file's)
    /// overrides the point scenario's `sampling:`.
    public static func run(
        _ outputs: [SweepOutput], scenario: Scenario, draws: Int, seed: UInt64, threads: Int = 1, sampling: SamplingSettings = SamplingSettings()
    ) throws -> [DistributionSummary] {
        let missing = DistributionSummary.missing
        let needsMapping = outputs.contains { if case .mapping = $0.source { true } else { false } }
        let needsRedeployment = outputs.contains { if case .redeployment = $0.source { true } else { false } }
        // Only what the outputs name is summarised: the mapping's series of their entities and metrics, and the
        // policies they name with the baseline (the first). Each kept statistic is the same, bit for bit, as in a
        // full run: the draws do not change, and every series and policy is summarised on its own.
        var mapping: MappingResult?
        if needsMapping {
            var options = MappingOptions(draws: draws, seed: seed, threads: threads)
            options.choices = sampling
            options.summarised = Set(outputs.compactMap {
                if case let .mapping(level, id, metric) = $0.source { MetricKey(level, id, metric) } else { nil }
            })
            mapping = try MappingEngine.run(scenario, options: options)
        }
        let policies = Set(scenario.policies.map(\.id))
        for output in outputs {
            if case let .redeployment(policy, _, _) = output.source, policy != "baseline", !policies.contains(policy) {
                throw DataError(message: """
                    output \(output.name) names policy '\(policy)', which this point's scenario does not have (its policies: \
                    \(scenario.policies.map(\.id).joined(separator: ", ")))
                    """)
            }
        }
        var redeployment: RedeploymentResult?
        if needsRedeployment {
            var options = RedeploymentOptions(draws: draws, seed: seed, threads: threads)
            options.choices = sampling
            if let baseline = scenario.policies.first?.id {   // none: the engine says what is missing
                let ids = Set(scenario.policies.map(\.id))
                var chosen = [baseline]
                for case let .redeployment(policy, _, _) in outputs.map(\.source) where ids.contains(policy) && !chosen.contains(policy) {
                    chosen.append(policy)
                }
                options.policies = chosen
            }
            redeployment = try RedeploymentEngine.run(scenario, options: options)
        }
        return outputs.map { output in
            switch output.source {
            case let .mapping(level, id, metric):
                return mapping?.summary(level: level, id: id, metric) ?? missing
            case let .redeployment(policy, metric, year):
                guard let r = redeployment else { return missing }
                let id = policy == "baseline" ? r.policies[0].id : policy
                return r.summary(policy: id, year: year, metric: metric) ?? missing
            }
        }
    }
}

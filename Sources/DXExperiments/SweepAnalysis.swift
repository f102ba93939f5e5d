import DXAnalysis
import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

/// What a sweep's results say across its futures, read from its database: each output's spread over the points,
/// each parameter's rank correlation with each output, the envelopes of yearly outputs (`…@yearN`), and, where the
/// sweep holds options compared in the same futures, how robust each option is (`Robustness`).
///
/// Every statistic is of the points' means over their draws (one number per point and output, as `results.csv`
/// holds). Options are compared in two ways, both on common random numbers:
/// - **policies**: the outputs `redeploy.POLICY.METRIC` of two or more policies of one metric (every policy runs on
///   the same draws within a point);
/// - **levers**: parameters with `kind: lever`, whose every combination runs in every future of the design, on
///   that future's seed (`SweepPlan`). With both, an option is a policy under a combination of the levers; a
///   policy whose values the levers never change is one option.
public struct SweepAnalysis: Sendable {
    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var kind: SweepParameter.Kind
        /// The value at each point (NaN or a word where it is not a number), indexed by point.
        public var values: [SweepValue?]
    }

    /// One output's spread across the points that ran.
    public struct Spread: Sendable, Equatable {
        public var output: String
        public var points: Int
        public var mean: Double
        public var curve: QuantileCurve
    }

    /// A yearly series (`redeploy.shared-pool.redundant` from its `@year1…@yearN` outputs) across the points: per
    /// year its minimum, p5, p50, p95 and maximum.
    public struct Envelope: Sendable, Equatable {
        public var series: String
        public var years: [Int]
        public var minimum: [Double], p5: [Double], p50: [Double], p95: [Double], maximum: [Double]
        public var points: Int
    }

    /// A set of options scored on one quantity across the futures.
    public struct RobustnessTable: Sendable, Equatable {
        /// What the options are scored on: `redeploy.*.net_saving` for policies, else an output's name.
        public var quantity: String
        public var higherIsBetter: Bool
        /// What the options are: "policies", "levers" or "policies and levers".
        public var optionKind: String
        public var threshold: Double?
        /// Whether meeting the threshold means at least it (`>=`) or at most it (`<=`).
        public var thresholdAtLeast: Bool = true
        public var scores: [Robustness.Score]
    }

    /// A threshold an option must meet in a future to satisfice: `redeploy.*.redundant<=200`, `total.npv>=0`.
    public struct Threshold: Sendable, Equatable {
        public var quantity: String
        public var atLeast: Bool
        public var value: Double

        /// Parses `NAME>=X` or `NAME<=X`; nil when the text is not of that form.
        public init?(_ text: String) {
            for (op, atLeast) in [(">=", true), ("<=", false)] {
                if let r = text.range(of: op) {
                    let name = text[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
                    guard !name.isEmpty, let x = Double(text[r.upperBound...].trimmingCharacters(in: .whitespaces)), x.isFinite else {
                        return nil
                    }
                    (quantity, self.atLeast, value) = (name, atLeast, x)
                    return
                }
            }
            return nil
        }

        public var description: String { "\(quantity) \(atLeast ? "≥" : "≤") \(NumberFormatting.message(value))" }
    }

    public let path: String
    public let parameters: [Parameter]
    public let outputs: [String]
    /// Each output's mean at every point (NaN where the point failed or has not run), indexed by point.
    public let values: [String: [Double]]
    public let pointCount: Int
    /// Points that ran (not failed).
    public let pointsRun: Int
    /// Futures the design drew, and the combinations of levers each runs under (1 without levers).
    public let futures: Int
    public let leverCombinations: Int
    public let thresholds: [Threshold]
    /// Each lever's name and values, in the sweep file's order (empty without levers).
    public let leverValues: [(name: String, values: [SweepValue])]

    /// Reads the database at `store`.
    /// - Throws: `DataError` when no point has run; `UnknownNameError` for a threshold naming no output or
    ///   policy metric of the sweep.
    public init(store: SweepStore, thresholds: [Threshold] = []) throws {
        path = store.path
        let pointCount = try store.pointCount()
        self.pointCount = pointCount
        let names = try store.parameterNames()
        let crossed = try store.crossedLevers()
        let kinds = try store.parameterKinds()
        let combinations = crossed.reduce(1) { $0 * $1.valueCount }
        let levers = crossed.map { p in (p.name, (0..<p.valueCount).map(p.value(ofLevel:))) }
        leverCombinations = combinations
        leverValues = levers
        futures = pointCount / max(1, combinations)
        let design = try store.design()
        parameters = names.indices.map { j in
            var column = [SweepValue?](repeating: nil, count: pointCount)
            for (point, row) in design where point < pointCount && j < row.count { column[point] = row[j] }
            return Parameter(name: names[j], kind: kinds[j], values: column)
        }
        let outputs = try store.outputNames()
        self.outputs = outputs
        var values: [String: [Double]] = [:]
        for output in outputs { values[output] = try store.values(of: output).mean }
        self.values = values
        pointsRun = (0..<pointCount).filter { p in outputs.contains { values[$0]![p].isFinite } }.count
        guard pointsRun > 0 else {
            throw DataError(path: store.path, message: "no point of this sweep has run yet (or every one failed); there is nothing to report")
        }
        let families = Set(Self.policyFamilies(outputs).map(\.quantity)).union(outputs)
        for t in thresholds where !families.contains(t.quantity) {
            throw UnknownNameError(kind: "output", name: t.quantity, message: """
                --satisfy \(t.quantity): no output or policy metric of this name\(Suggestion.didYouMean(t.quantity, among: Array(families))); \
                give one of \(families.sorted().prefix(8).joined(separator: ", "))\(families.count > 8 ? ", …" : "")
                """)
        }
        self.thresholds = thresholds
        spreads = horizonOutputs.compactMap { name in
            let v = values[name]!.filter(\.isFinite)
            guard let curve = QuantileCurve(exactly: v) else { return nil }
            return Spread(output: name, points: v.count, mean: v.reduce(0, +) / Double(v.count), curve: curve)
        }
        (robustness, robustnessSkipped) = scoreOptions()
        rankCorrelations = correlate()
    }

    /// The outputs over the horizon (not `@yearN`).
    public var horizonOutputs: [String] { outputs.filter { SweepOutput.yearly($0) == nil } }

    /// Each horizon output's spread across the points that have it.
    public private(set) var spreads: [Spread] = []

    /// Spearman's ρ of each numeric parameter with each horizon output, over the points that have both (nil where
    /// undefined: a constant parameter or output, or fewer than three points).
    public private(set) var rankCorrelations: [(parameter: String, output: String, rho: Double?, points: Int)] = []

    func correlate() -> [(parameter: String, output: String, rho: Double?, points: Int)] {
        parameters.flatMap { p -> [(String, String, Double?, Int)] in
            let x = p.values.map { v -> Double in if case let .number(n)? = v { n } else { .nan } }
            guard x.contains(where: \.isFinite) else { return [] }
            return horizonOutputs.map { name in
                let y = values[name]!
                let n = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }.count
                return (p.name, name, RankCorrelation.spearman(x, y), n)
            }
        }
    }

    /// The envelopes of every yearly series, in the order the outputs list them.
    public var envelopes: [Envelope] {
        var order: [String] = [], years: [String: [(Int, String)]] = [:]
        for name in outputs {
            guard let (series, year) = SweepOutput.yearly(name) else { continue }
            if years[series] == nil { order.append(series) }
            years[series, default: []].append((year, name))
        }
        return order.compactMap { series in
            let byYear = years[series]!.sorted { $0.0 < $1.0 }
            var e = Envelope(series: series, years: [], minimum: [], p5: [], p50: [], p95: [], maximum: [], points: 0)
            for (year, name) in byYear {
                let v = values[name]!.filter(\.isFinite).sorted()
                guard !v.isEmpty else { continue }
                e.years.append(year)
                e.minimum.append(v[0]); e.maximum.append(v[v.count - 1])
                e.p5.append(Robustness.orderStatistic(v, 0.05))
                e.p50.append(Robustness.orderStatistic(v, 0.5))
                e.p95.append(Robustness.orderStatistic(v, 0.95))
                e.points = max(e.points, v.count)
            }
            return e.years.isEmpty ? nil : e
        }
    }

    /// Outputs `redeploy.POLICY.METRIC` over the horizon grouped by metric, where two or more named policies share
    /// it (`baseline` is an alias of the first policy and not an option of its own).
    public static func policyFamilies(_ outputs: [String]) -> [(quantity: String, metric: String, policies: [(String, String)])] {
        var order: [String] = [], members: [String: [(String, String)]] = [:]
        for name in outputs where SweepOutput.yearly(name) == nil {
            let parts = name.split(separator: ".").map(String.init)
            guard parts.count == 3, parts[0] == "redeploy", parts[1] != "baseline" else { continue }
            if members[parts[2]] == nil { order.append(parts[2]) }
            members[parts[2], default: []].append((parts[1], name))
        }
        return order.compactMap { metric in
            let policies = members[metric]!
            return policies.count >= 2 ? ("redeploy.*.\(metric)", metric, policies) : nil
        }
    }

    /// Whether more of a quantity is better: from its metric (a redeployment metric's own direction; NPV and
    /// savings up, costs and delays down), else from the side of the threshold given for it, else unknown. (A
    /// threshold on a metric with a direction says only what meeting it means: `redeploy.*.net_saving<=0` counts the
    /// futures with no saving; regret still takes more saving as better.)
    public func higherIsBetter(_ quantity: String) -> Bool? {
        let known: Bool?
        switch Self.metric(of: quantity) {
        case let .redeployment(m)?: known = m.higherIsBetter
        case .mapping(.npv)?, .mapping(.grossSaving)?, .mapping(.adoptedByHorizon)?: known = true
        case .mapping(.implementationCost)?, .mapping(.runningCost)?, .mapping(.adoptionDelay)?: known = false
        default: known = nil
        }
        return known ?? thresholds.first { $0.quantity == quantity }?.atLeast
    }

    /// The metric an output or policy quantity reports: its name's last part (without `@yearN`), a redeployment
    /// metric for `redeploy.…`, else a mapping one; nil for a name that is neither.
    public enum QuantityMetric: Sendable, Equatable {
        case redeployment(RedeploymentMetric)
        case mapping(Metric)

        public var isMoney: Bool {
            switch self {
            case let .redeployment(m): m.isMoney
            case let .mapping(m): m.isMoney
            }
        }
    }

    public static func metric(of quantity: String) -> QuantityMetric? {
        let series = SweepOutput.yearly(quantity)?.series ?? quantity
        let name = String(series.split(separator: ".").last ?? "")
        if series.hasPrefix("redeploy.") { return RedeploymentMetric.allCases.first { $0.name == name }.map(QuantityMetric.redeployment) }
        return Metric(rawValue: name).map(QuantityMetric.mapping)
    }

    /// Names of the lever combinations, in point order within a future: `pool-years = 2, policy = internal`.
    public var leverNames: [String] {
        guard !leverValues.isEmpty, futures > 0 else { return [] }
        return (0..<leverCombinations).map { c in
            var rest = c, words: [String] = []
            for (name, values) in leverValues.reversed() {
                words.append("\(name) = \(values[rest % values.count])")
                rest /= values.count
            }
            return words.reversed().joined(separator: ", ")
        }
    }

    /// The robustness of every set of options the sweep holds, with the quantities whose direction is unknown left
    /// out (``robustnessSkipped`` names them).
    public private(set) var robustness: [RobustnessTable] = []

    /// Quantities with options but no known direction (give a threshold to score them).
    public private(set) var robustnessSkipped: [String] = []

    func scoreOptions() -> (tables: [RobustnessTable], skipped: [String]) {
        var tables: [RobustnessTable] = [], skipped: [String] = []
        let crossing = !leverNames.isEmpty
        let combos = crossing ? leverNames : [""]
        func table(_ quantity: String, kind: String, columns: [(option: String, output: String, combination: Int)]) {
            guard let up = higherIsBetter(quantity) else { skipped.append(quantity); return }
            let rows = (0..<(crossing ? futures : pointCount)).map { f in
                columns.map { c in values[c.output]![crossing ? f * leverCombinations + c.combination : f] }
            }
            // Options whose values are the same in every future (a policy the levers do not touch) are one option.
            var kept: [Int] = []
            for k in columns.indices {
                let same = kept.first { j in
                    columns[j].output == columns[k].output && rows.allSatisfy { $0[j] == $0[k] || ($0[j].isNaN && $0[k].isNaN) }
                }
                if same == nil { kept.append(k) }
            }
            let names = kept.map { k -> String in
                let duplicates = columns.indices.filter { columns[$0].output == columns[k].output }.count
                let sameOutput = kept.filter { columns[$0].output == columns[k].output }.count
                return duplicates > 1 && sameOutput == 1 ? columns[k].option.components(separatedBy: " (").first! : columns[k].option
            }
            let given = thresholds.first { $0.quantity == quantity }
            let scores = Robustness.score(options: names, values: rows.map { row in kept.map { row[$0] } }, higherIsBetter: up,
                                          threshold: given?.value, atLeast: given?.atLeast)
            if names.count >= 2, !scores.isEmpty {
                tables.append(RobustnessTable(quantity: quantity, higherIsBetter: up, optionKind: kind, threshold: given?.value,
                                              thresholdAtLeast: given?.atLeast ?? up, scores: scores))
            }
        }
        let families = Self.policyFamilies(outputs)
        for family in families {
            let columns = family.policies.flatMap { policy, output in
                combos.indices.map { c in (crossing ? "\(policy) (\(combos[c]))" : policy, output, c) }
            }
            table(family.quantity, kind: crossing ? "policies and levers" : "policies", columns: columns)
        }
        if crossing {
            let inFamilies = Set(families.flatMap { $0.policies.map(\.1) })
            for output in horizonOutputs where !inFamilies.contains(output) {
                table(output, kind: "levers", columns: combos.indices.map { (combos[$0], output, $0) })
            }
        }
        return (tables, skipped)
    }
}

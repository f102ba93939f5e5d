import DXSampling
import Foundation
import Yams

/// A sweep ready to run, lazily: a point's parameter values follow from its index, and its scenario is
/// patched and validated only when it runs (``PointBuilder``), so memory does not grow with the number of
/// points and the first point starts at once, even for a design of ten million.
public struct SweepPlan: Sendable {
    public let definition: SweepDefinition
    public let base: Scenario
    /// The base scenario file's bytes as read (part of the sweep's identity in results databases).
    public let baseScenarioData: Data
    /// The override's label ("" for the file's own design): part of the sweep's identity in results databases.
    public let designLabel: String
    /// Common random numbers: every point uses the sweep seed itself, so differences between points
    /// come from the parameters and not from sampling noise (sensitivity designs use this).
    public let commonRandomNumbers: Bool
    /// The design in unit coordinates, or the points in the parameters' own terms (a `list` design).
    let design: Design
    /// What the sweep file says that is valid but probably not meant (a path with `[*]` that reaches only some of
    /// the elements), located at the parameter; the CLI prints them and goes on.
    public internal(set) var warnings: [ScenarioIssue] = []

    enum Design: Sendable {
        case unit(ExperimentDesign)
        case list([[SweepValue]])
    }

    /// How many points the sweep has: ``futureCount`` × ``leverCombinations``.
    public var pointCount: Int { futureCount * leverCombinations }

    /// How many futures the design draws (its points over the uncertainties).
    public var futureCount: Int {
        switch design {
        case let .unit(d): d.count
        case let .list(points): points.count
        }
    }

    /// Whether the sweep crosses levers with futures: it has `kind: lever` parameters and runs its own design
    /// (a sensitivity study's design spans every parameter alike).
    public var crossesLevers: Bool { designLabel.isEmpty && !definition.levers.isEmpty }

    /// How many combinations of the levers' values each future runs under (1 without levers).
    public var leverCombinations: Int {
        crossesLevers ? definition.levers.reduce(1) { $0 * $1.valueCount } : 1
    }

    /// The future point `i` belongs to: points `f·L ..< (f+1)·L` (L = ``leverCombinations``) are future `f` under
    /// each combination of the levers, the last lever varying fastest.
    public func future(ofPoint i: Int) -> Int { i / leverCombinations }

    /// The value of each parameter at point `i`, in the sweep file's order.
    public func values(ofPoint i: Int) -> [SweepValue] {
        guard crossesLevers else { return futureValues(i) }
        var uncertain = futureValues(future(ofPoint: i)).makeIterator()
        var combination = i % leverCombinations
        var lever: [SweepValue] = []
        for parameter in definition.levers.reversed() {
            let n = parameter.valueCount
            lever.append(parameter.value(ofLevel: combination % n))
            combination /= n
        }
        var levers = lever.reversed().makeIterator()
        return definition.parameters.map { $0.kind == .lever ? levers.next()! : uncertain.next()! }
    }

    /// The design's point `f`: with levers, one value per uncertainty; without, one per parameter.
    func futureValues(_ f: Int) -> [SweepValue] {
        let spanned = crossesLevers ? definition.uncertainties : definition.parameters
        switch design {
        case let .unit(d): return zip(spanned, d.point(f)).map { $0.value(at: $1) }
        case let .list(points): return points[f]
        }
    }

    /// The seed of point `i`: the sweep seed under common random numbers, otherwise a mix of the sweep seed and
    /// the index, so any point reruns alone identically. With levers, every point of one future has that future's
    /// seed, so the levers' options are compared on the same draws.
    public func seed(ofPoint i: Int) -> UInt64 {
        if commonRandomNumbers { return definition.seed }
        return KeyedUniform.bits(definition.seed, UInt64(crossesLevers ? future(ofPoint: i) : i))
    }

    /// A builder of points' scenarios, for one thread (it holds the base scenario's YAML tree).
    public func builder() throws -> PointBuilder { try PointBuilder(plan: self) }

    /// Point `i`'s scenario, patched and validated (a convenience that reads the base file's tree each call;
    /// a loop over points uses one ``builder()``).
    /// - Throws: ``InvalidPoint`` when the point's values make the scenario invalid.
    public func scenario(ofPoint i: Int) throws -> Scenario { try builder().scenario(ofPoint: i) }
}

/// A point whose parameter values make the scenario invalid.
public struct InvalidPoint: Error, Sendable, CustomStringConvertible {
    public let point: Int
    /// The parameters whose value alone makes the scenario invalid (empty when only their combination does).
    public let culprits: [String]
    /// The scenario's first problem at this point.
    public let issue: ScenarioIssue
    /// Why, in words, naming the point's values and the culprits.
    public let description: String
}

/// Patches and validates points' scenarios from the base scenario's YAML tree (kept with every node's
/// source position, so a point's errors point into the base file). One per thread: it owns a parsed tree.
public final class PointBuilder {
    public let plan: SweepPlan
    let baseNode: Node
    let steps: [[ScenarioPatch.Step]]
    /// Whether any parameter's path starts in `services:`; when none does, every point's services are the base
    /// scenario's and are not read again (the other sections are small).
    let patchesServices: Bool
    /// The base scenario's services as written, before its evidence: each point applies the evidence itself.
    let priorServices: [Service]

    init(plan: SweepPlan) throws {
        self.plan = plan
        baseNode = try ScenarioLoader.compose(String(decoding: plan.baseScenarioData, as: UTF8.self), file: plan.definition.scenarioPath)
        steps = plan.definition.parameters.map { ScenarioPatch.steps($0.path)! }
        patchesServices = steps.contains { $0.first?.key == "services" }
        priorServices = plan.base.withoutEvidence().services
    }

    /// Point `i`'s scenario.
    /// - Throws: ``InvalidPoint`` naming the parameters whose value alone makes the scenario invalid.
    public func scenario(ofPoint i: Int) throws -> Scenario {
        let values = plan.values(ofPoint: i)
        do {
            return try scenario(values)
        } catch let error as ScenarioError {
            let parameters = plan.definition.parameters
            let culprits = parameters.indices.filter { j in (try? scenario([(j, values[j])])) == nil }.map { parameters[$0].name }
            let setting = zip(parameters, values).map { "\($0.name) = \($1)" }.joined(separator: ", ")
            let blame = culprits.isEmpty ? "together these values make it invalid"
                : culprits.map { name in "\(name) = \(values[parameters.firstIndex { $0.name == name }!])" }.joined(separator: " and ")
                    + (culprits.count == 1 ? " alone makes it invalid" : " each alone make it invalid")
            throw InvalidPoint(point: i, culprits: culprits, issue: error.issues[0],
                               description: """
                                   the scenario becomes invalid (\(setting)): \(blame): \(error.issues[0].path): \
                                   \(error.issues[0].message)
                                   """)
        }
    }

    /// The scenario with every parameter set to its value.
    func scenario(_ values: [SweepValue]) throws -> Scenario { try scenario(Array(values.enumerated())) }

    /// The scenario with the given parameters set (the others as in the base).
    func scenario(_ settings: [(Int, SweepValue)]) throws -> Scenario {
        var node = baseNode
        for (j, value) in settings {
            (node, _) = try ScenarioPatch.apply(steps[j], to: node, value: value, operation: plan.definition.parameters[j].operation)
        }
        return try ScenarioLoader.read(node, file: plan.definition.scenarioPath,
                                       unchangedServices: patchesServices ? nil : priorServices)
    }
}

/// A design a caller builds from the sweep's parameters in place of the file's `design:` — how
/// sensitivity methods run their own designs (Saltelli, Morris, one-at-a-time) through sweeps, and how
/// `dxmap validate` checks a sweep file that has no design. The design, its random numbers and what an
/// invalid point does are three separate choices, each made explicitly by the caller.
public struct SweepDesignOverride: Sendable {
    /// Names the design in the results database, given the sweep seed (a database made by another design
    /// is not resumed).
    public var label: @Sendable (_ seed: UInt64) -> String
    /// The design in unit coordinates, given the parameters and the sweep seed.
    public var design: @Sendable (_ parameters: [SweepParameter], _ seed: UInt64) -> ExperimentDesign
    /// Whether every point runs on the sweep seed itself (common random numbers), so points differ by their
    /// parameters and not by their draws, as sensitivity methods need.
    public var commonRandomNumbers: Bool
    /// Whether a design may hold points whose scenario is invalid (a sensitivity design must keep its shape:
    /// they run as failed points). When false, loading checks each parameter at its ends first, as it does for
    /// the file's own design.
    public var keepsInvalidPoints: Bool

    public init(label: @escaping @Sendable (_ seed: UInt64) -> String, commonRandomNumbers: Bool, keepsInvalidPoints: Bool,
                design: @escaping @Sendable (_ parameters: [SweepParameter], _ seed: UInt64) -> ExperimentDesign) {
        (self.label, self.design) = (label, design)
        (self.commonRandomNumbers, self.keepsInvalidPoints) = (commonRandomNumbers, keepsInvalidPoints)
    }

    /// For checking a sweep without a design: every combination of each parameter's ends (and of every value of a
    /// `values` parameter) when there are at most 4,096, else each parameter at each end with the others at their
    /// midpoints.
    public static let corners = SweepDesignOverride(label: { _ in "corners" }, commonRandomNumbers: false, keepsInvalidPoints: false) {
        parameters, _ in
        let levels = parameters.map { p -> Int in if case let .values(v) = p.operation { v.count } else { 2 } }
        if let grid = ExperimentDesign.grid(levels: levels, limit: 4096) { return grid }
        let middle = [Double](repeating: 0.5, count: parameters.count)
        return .list([middle] + parameters.indices.flatMap { j in
                    (0..<levels[j]).map { l -> [Double] in
                        var u = middle; u[j] = levels[j] == 1 ? 0.5 : Double(l) / Double(levels[j] - 1); return u
                    }
        })
    }
}

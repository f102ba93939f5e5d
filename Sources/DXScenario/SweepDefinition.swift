import DXSampling
import Foundation

/// A sweep file (schema `dxmap-sweep: 1`): a base scenario varied over a
/// design of points. See docs/reference/sweep-files.md.
public struct SweepDefinition: Sendable {
    /// The sweep file's path and exact bytes (their SHA-256 identifies the sweep in results databases).
    public var file: String
    public var text: String
    /// The base scenario's path, resolved relative to the sweep file.
    public var scenarioPath: String
    /// Monte Carlo draws per point.
    public var draws: Int
    /// Sweep seed; point i uses ``SweepPlan/seed(ofPoint:)``.
    public var seed: UInt64
    /// How every point draws (`sampling:`: sampler, generator, draw design); over the base scenario's `sampling:`.
    public var sampling = SamplingSettings()
    /// The file's design; nil only when the caller supplies its own (``SweepDesignOverride``).
    public var design: SweepDesign?
    public var parameters: [SweepParameter]
    /// Outputs as written (`total.npv`, `service[*].npv`, `redeploy.shared-pool.redundant`).
    public var outputs: [String]
    /// Where each output is written in the sweep file (same order as ``outputs``).
    public var outputLocations: [SourceLocation] = []

    /// The parameters someone decides (`kind: lever`), in file order.
    public var levers: [SweepParameter] { parameters.filter { $0.kind == .lever } }
    /// The parameters no one decides (every parameter without `kind: lever`), in file order: the design spans these.
    public var uncertainties: [SweepParameter] { parameters.filter { $0.kind == .uncertainty } }
}

/// How the points of a sweep are placed in the unit cube of its parameters.
public enum SweepDesign: Sendable, Equatable {
    /// Full factorial grid with the given levels per parameter (a `values` parameter takes all its values).
    case grid(levels: [Int])
    case latinHypercube(points: Int)
    case sobol(points: Int, skip: Int)
    case morris(trajectories: Int, levels: Int)
    /// Explicit points, one value per parameter, in the parameters' own terms.
    case list(points: [[SweepValue]])
}

/// A parameter value: a number, or a word for categorical parameters.
public enum SweepValue: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case text(String)

    public var description: String {
        switch self {
        case let .number(x): x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        case let .text(s): s
        }
    }
}

/// One varied input: which field(s) of the scenario it changes and how.
public struct SweepParameter: Sendable, Equatable {
    public enum Operation: Sendable, Equatable {
        /// Replace the field with a value in [min, max].
        case set(min: Double, max: Double)
        /// Multiply the field by a factor in [min, max].
        case scale(min: Double, max: Double)
        /// Add an amount in [min, max].
        case shift(min: Double, max: Double)
        /// Take one of the values (numbers set the field; words pick an element of a list by id, or replace text).
        case values([SweepValue])
    }

    /// Column name in outputs.
    public var name: String
    /// Path in the scenario file's structure, e.g. `roles[*].automation.beta.mean`.
    public var path: String
    public var operation: Operation
    /// Where the parameter is written in the sweep file.
    public var location: SourceLocation
    /// Whether someone decides the parameter (a lever: a policy, a setting of one) or no one does (an
    /// uncertainty: how fast AI progresses, how many staff leave). A sweep with levers runs every combination
    /// of their values in every future its design draws over the uncertainties, on the same random numbers
    /// (``SweepPlan``), as the EMA Workbench crosses policies with scenarios.
    public var kind: Kind = .uncertainty

    /// ``SweepParameter/kind``: `kind: lever` or `kind: uncertainty` (the default) in a sweep file.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case uncertainty
        case lever
    }

    /// The range the parameter spans, in words: `0.8–1.3` (set), `×0.9–×1.2` (scale), `+0–+2` (shift), `{a, b}`.
    public var rangeDescription: String {
        func f(_ x: Double) -> String { SweepValue.number(x).description }
        return switch operation {
        case let .set(lo, hi): "\(f(lo))–\(f(hi))"
        case let .scale(lo, hi): "×\(f(lo))–×\(f(hi))"
        case let .shift(lo, hi): "\(lo >= 0 ? "+" : "")\(f(lo))–\(hi >= 0 ? "+" : "")\(f(hi))"
        case let .values(v): "{" + v.map(\.description).joined(separator: ", ") + "}"
        }
    }

    /// The value at design coordinate u in words, to three significant figures, marked as the range is
    /// (`×1.07` for a scale, `+0.5` for a shift).
    public func describeValue(at u: Double) -> String {
        guard case let .number(x) = value(at: u) else { return value(at: u).description }
        let v = String(format: "%.3g", x)
        return switch operation {
        case .scale: "×" + v
        case .shift: (x >= 0 ? "+" : "") + v
        default: v
        }
    }

    /// How many values a lever takes (a `values:` list's length; a range counts as one).
    public var valueCount: Int { if case let .values(v) = operation { v.count } else { 1 } }

    /// A lever's `l`-th value (a range's lower end).
    public func value(ofLevel l: Int) -> SweepValue {
        if case let .values(v) = operation { return v[l] }
        return value(at: 0)
    }

    /// The value at design coordinate u ∈ [0, 1].
    public func value(at u: Double) -> SweepValue {
        switch operation {
        case let .set(lo, hi), let .scale(lo, hi), let .shift(lo, hi): .number(lo + u * (hi - lo))
        case let .values(values): values[min(values.count - 1, Int(u * Double(values.count)))]
        }
    }
}

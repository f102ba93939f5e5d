import DXAnalysis
import DXSampling

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
    /// 1,024 (README, "Sensitivity"); SALib users work with 512–1,024.
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

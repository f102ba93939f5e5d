import DXSampling
import DXSupport

// dxmap's shared vocabulary: the words a scenario file, the engines, the reports and the CLI all use, typed once
// here (the lowest layer that reads them from files) so that no layer passes them around as strings.

/// The version dxmap writes into run records and results databases.
public enum DXMapVersion {
    /// This build's version.
    public static let current = "0.1.0"
}

/// Defaults shared by every command and by the Swift API.
public enum DXMapDefaults {
    /// The seed used when none is given (by a run or a sweep file), so that two plain runs agree.
    public static let seed: UInt64 = 20_240_216
}

/// The levels at which dxmap aggregates: a task, the service it belongs to,
/// the role that performs it, the organisation that delivers the service,
/// and the scenario total.
public enum Level: String, Sendable, CaseIterable, Codable {
    case task, service, role, organisation, total
}

/// The two ways of drawing the matrix (docs/guide/mapping.md, "The risk–return matrix").
public enum MatrixView: String, Sendable, CaseIterable, Codable {
    /// x = E[automation probability], y = E[annual gross saving] — the anchor paper's view.
    case probability
    /// x = risk of the NPV, y = E[NPV].
    case riskReturn = "risk-return"
    /// The value of outputs: x = E[gross saving ÷ output cost], the automatable share of what the outputs cost;
    /// y = E[output cost]. Only entities with an output cost (services with `output_cost:`, and organisations and the
    /// total whose services all have one) are placed.
    case output
}

/// How risk is measured on the x axis of the risk–return view.
public enum RiskMeasure: String, Sendable, CaseIterable, Codable {
    /// Standard deviation of NPV.
    case sd
    /// P(NPV < 0).
    case loss
    /// Expected shortfall: minus the mean of the worst 5% of NPV draws (a positive number is a loss).
    case cvar

}

/// Quadrants of the risk–return matrix, in the order of their counters.
public enum Quadrant: String, Sendable, CaseIterable, Codable {
    /// High x, high y (probability view); low risk, high return (risk–return view).
    case automateFirst = "automate-first"
    /// Low x / high risk, high y.
    case pilot
    /// High x / low risk, low y.
    case opportunistic
    /// The rest.
    case leave

    /// The quadrant of a point whose x is on the favourable side (`favourableX`) and y is high or low.
    public init(favourableX: Bool, highY: Bool) {
        switch (favourableX, highY) {
        case (true, true): self = .automateFirst
        case (false, true): self = .pilot
        case (true, false): self = .opportunistic
        case (false, false): self = .leave
        }
    }

}

/// Thresholds that split the risk–return matrix into quadrants. Left nil, the probability
/// threshold is 0.5, the return threshold is break-even (NPV = 0), and the value and risk thresholds are
/// the median across the entities of the level shown.
public struct MatrixThresholds: Sendable, Equatable, Codable {
    /// x of the probability view (automation probability). Default 0.5.
    public var probability: Double?
    /// y of the probability view (annual gross saving).
    public var value: Double?
    /// x of the risk–return view, in the unit of the risk measure.
    public var risk: Double?
    /// y of the risk–return view (NPV).
    public var `return`: Double?
    /// x and y of the output view (automatable share of output cost, output cost); nil: the medians of the entities.
    public var outputShare: Double?
    public var outputCost: Double?

    /// Thresholds; nil means the scenario's, then the default.
    public init(probability: Double? = nil, value: Double? = nil, risk: Double? = nil, return: Double? = nil,
                returnAtMedian: Bool = false, outputShare: Double? = nil, outputCost: Double? = nil) {
        self.probability = probability
        self.value = value
        self.risk = risk
        self.return = `return`
        self.returnAtMedian = returnAtMedian && `return` == nil
        self.outputShare = outputShare
        self.outputCost = outputCost
    }

    /// The words a scenario or `--x-threshold`/`--y-threshold` may give instead of a number, per threshold,
    /// and what each stands for (nil: the median across entities, computed by the run).
    public static let keywords: [String: [String: Double?]] = [
        "probability": ["ons-medium": 0.3, "ons-high": 0.7],
        "value": ["median": nil],
        "risk": ["median": nil],
        "return": ["break-even": 0, "median": nil],
        "output_share": ["median": nil],
        "output_cost": ["median": nil],
    ]

    /// Whether the return threshold is the median of the entities' expected NPVs (`return: median`) rather than
    /// a value; nil `return` otherwise means break-even.
    public var returnAtMedian = false

    /// Fills nil entries from `fallback`.
    public func or(_ fallback: MatrixThresholds) -> MatrixThresholds {
        MatrixThresholds(probability: probability ?? fallback.probability, value: value ?? fallback.value,
                         risk: risk ?? fallback.risk, return: self.return ?? fallback.return,
                         returnAtMedian: self.return == nil && (returnAtMedian || fallback.returnAtMedian),
                         outputShare: outputShare ?? fallback.outputShare, outputCost: outputCost ?? fallback.outputCost)
    }
}

extension MatrixThresholds {
    /// The thresholds of `view` given as text, as `--x-threshold` and `--y-threshold` take them: a finite number or
    /// one of the threshold's ``keywords`` (nil text: the scenario's, then the default).
    /// - Throws: `RunSettingsError` naming the flag, for text that is neither, or an automation probability
    ///   outside 0…1.
    public static func parse(x: String?, y: String?, view: MatrixView,
                             flags: (x: String, y: String) = ("--x-threshold", "--y-threshold")) throws -> MatrixThresholds {
        if view == .output {
            let xs = try threshold(x, flag: flags.x, words: keywords["output_share"]!)
            let ys = try threshold(y, flag: flags.y, words: keywords["output_cost"]!)
            if let v = xs.value, !(0...1).contains(v) {
                throw RunSettingsError("\(flags.x) is a share of output cost in the output view: expected 0…1, found \(v)")
            }
            return MatrixThresholds(outputShare: xs.value, outputCost: ys.value)
        }
        let probability = view == .probability
        let xs = try threshold(x, flag: flags.x, words: keywords[probability ? "probability" : "risk"]!)
        let ys = try threshold(y, flag: flags.y, words: keywords[probability ? "value" : "return"]!)
        if let v = xs.value, probability, !(0...1).contains(v) {
            throw RunSettingsError("\(flags.x) is an automation probability in the probability view: expected 0…1, found \(v)")
        }
        return probability ? MatrixThresholds(probability: xs.value, value: ys.value)
            : MatrixThresholds(risk: xs.value, return: ys.value, returnAtMedian: ys.median)
    }

    /// The thresholds `x` and `y` give (as ``parse(x:y:view:flags:)`` reads them) in the view that `settings` — the
    /// command's, over the scenario's `matrix:`, over the defaults — resolve to: the one rule by which `dxmap map`
    /// and the Swift API pick the view a threshold word belongs to.
    public static func parse(x: String?, y: String?, settings: MatrixSettings, scenario: MatrixSettings) throws -> MatrixThresholds {
        try parse(x: x, y: y, view: settings.or(scenario).resolved.view)
    }

    /// Whether `x` and `y` could be thresholds of some view (before the view is known): numbers, or words of any
    /// view's x or y.
    /// - Throws: `RunSettingsError` naming the flag and the words it takes.
    public static func checkWords(x: String?, y: String?,
                                  flags: (x: String, y: String) = ("--x-threshold", "--y-threshold")) throws {
        _ = try threshold(x, flag: flags.x, words: keywords["probability"]!.merging(keywords["risk"]!) { a, _ in a })
        _ = try threshold(y, flag: flags.y, words: keywords["return"]!.merging(keywords["value"]!) { a, _ in a })
    }

    /// A threshold's text: a finite number or one of `words` (a nil value: the median).
    static func threshold(_ text: String?, flag: String, words: [String: Double?]) throws -> (value: Double?, median: Bool) {
        guard let text else { return (nil, false) }
        if let word = words[text] { return (word, word == nil) }
        guard let x = Double(text), x.isFinite else {
            throw RunSettingsError("""
                \(flag) must be a finite number or one of \(words.keys.sorted().joined(separator: ", ")), found "\(text)"
                """)
        }
        return (x, false)
    }
}

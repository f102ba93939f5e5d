import Foundation
import DXScenario
import DXSampling

/// One row of the matrix: where an entity sits, how uncertain that is, and which quadrant it falls in.
public struct MatrixPoint: Sendable, Codable, Equatable {
    /// The service, role or organisation.
    public var entity: Entity
    /// E[automation probability] (probability view) or the risk (risk–return view).
    public var x: Double
    /// E[annual gross saving] (probability view) or E[NPV] (risk–return view).
    public var y: Double
    /// p5–p95 of x over draws (nil in the risk–return view, where risk is a property of the whole distribution).
    public var xRange: ClosedRange<Double>?
    /// p5–p95 of y over draws (nil when the run kept no percentiles at this level).
    public var yRange: ClosedRange<Double>?
    /// Quadrant of the mean point (x, y).
    public var quadrant: Quadrant
    /// Share of draws in each quadrant.
    public var probabilities: [Quadrant: Double]

    /// Share of draws in the quadrant of the mean: "automate-first, 83%".
    public var confidence: Double { probabilities[quadrant] ?? 0 }

    /// Whether the placement is borderline: fewer than ``borderlineBelow`` of the draws fall in the quadrant
    /// of the mean (false when the run did not count quadrants).
    public var isBorderline: Bool { confidence < MatrixPoint.borderlineBelow }

    /// Placements with a smaller share of draws in their quadrant are marked borderline in tables and charts.
    public static let borderlineBelow = 0.6
}

/// Where a matrix threshold comes from, which says what it means to a reader.
public enum ThresholdBasis: String, Sendable, Codable, CaseIterable {
    /// A value the scenario or the command line set.
    case set
    /// The median across the entities of the level (the value and risk defaults; `median`).
    case median
    /// NPV = 0: a service pays back over the horizon (the return default; `break-even`).
    case breakEven = "break-even"
    /// Automation probability 0.5 (the probability default).
    case evenOdds = "even-odds"
    /// Automation probability 0.3, the ONS boundary between low and medium risk of automation (`ons-medium`).
    case onsMedium = "ons-medium"
    /// Automation probability 0.7, the ONS boundary between medium and high risk (`ons-high`).
    case onsHigh = "ons-high"
}

/// The risk–return matrix of one level in one view.
public struct RiskReturnMatrix: Sendable, Codable {
    /// The level whose entities are placed.
    public var level: Level
    public var view: MatrixView
    public var risk: RiskMeasure
    /// Threshold splitting x (favourable is ≥ in the probability view, ≤ in the risk–return view).
    public var xThreshold: Double
    /// Threshold splitting y (high is ≥).
    public var yThreshold: Double
    /// Where each threshold comes from.
    public var xThresholdBasis: ThresholdBasis
    public var yThresholdBasis: ThresholdBasis
    /// One point per entity, in scenario order.
    public var points: [MatrixPoint]
    /// Axis titles for charts.
    public var xLabel: String
    public var yLabel: String
    /// The scenario's currency (empty if it names none).
    public var currency: String

    /// Whether x is a probability (the probability view, or the loss measure), printed with ``xDecimals`` decimals.
    public var xIsProbability: Bool { view != .riskReturn || risk == .loss }

    /// Decimals that tell apart what the matrix separates: the fewest, from 2 to 5, at which no entity's x on the
    /// other side of the threshold prints as the threshold does (P(loss) 0.003 against a median 0.000).
    public var xDecimals: Int {
        (2...5).first { d in
            let t = String(format: "%.\(d)f", xThreshold)
            return points.allSatisfy { $0.x == xThreshold || String(format: "%.\(d)f", $0.x) != t }
        } ?? 5
    }

    /// An x value as tables and legends print it.
    public func formatX(_ v: Double) -> String { xIsProbability ? String(format: "%.\(xDecimals)f", v) : NumberFormatting.compact(v) }

    /// The risks most entities crowd into, in the risk–return view, when at least half of them (two or more) lie
    /// within 1% of the risks' range of each other — on the chart, one line: the measure barely tells them apart
    /// (every CVaR 0 when every worst 5% still gains; P(loss) near 0 when hardly a draw loses).
    public var crowdedX: (low: Double, high: Double, count: Int)? {
        guard view == .riskReturn, points.count >= 2 else { return nil }
        let xs = points.map(\.x).filter(\.isFinite).sorted()
        guard let first = xs.first, let last = xs.last else { return nil }
        let window = 0.01 * (last - first)
        var best = (low: first, high: first, count: 0), start = 0
        for end in xs.indices {
            while xs[end] - xs[start] > window { start += 1 }
            if end - start + 1 > best.count { best = (xs[start], xs[end], end - start + 1) }
        }
        return best.count >= 2 && 2 * best.count >= points.count ? best : nil
    }

    /// Whether every entity has exactly the same risk (no side of the x threshold can hold one).
    public var everyXTied: Bool { crowdedX.map { $0.low == $0.high && $0.count == points.count } ?? false }

    /// Entities of the level left off the matrix because they employ no one (a role no task names, an organisation
    /// without services): placed, they would read as "cannot be automated".
    public var leftOut: [Entity] = []

    /// In the output view, the entities of the level left off because they have no output cost (a role, or an
    /// organisation with a service that gives none).
    public var withoutOutputCost: [Entity] = []

    /// ``leftOut`` and ``withoutOutputCost`` in words, or nil when none is.
    public var leftOutNote: String? {
        var notes: [String] = []
        if !leftOut.isEmpty {
            let why = level == .organisation ? "without services" : level == .role ? "that no task names" : "without tasks"
            notes.append("left out of the matrix, with no FTE to automate: \(leftOut.map(\.id).joined(separator: ", ")) (\(level.plural) \(why))")
        }
        if !withoutOutputCost.isEmpty {
            let why = level == .role ? "roles have no output cost: it is a service's" : level == .organisation
                ? "an organisation's output cost needs every one of its services to give one" : "no output_cost given"
            let shown = withoutOutputCost.prefix(8).map(\.id).joined(separator: ", ") + (withoutOutputCost.count > 8 ? ", …" : "")
            notes.append("left out of the output view, with no output cost: \(shown) (\(why))")
        }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }

    /// What to tell a reader when the risk measure crowds the entities (``crowdedX``): how many, at which risk,
    /// why, and the measure that separates them; nil when it does not.
    public var degeneracy: String? {
        guard let (low, high, count) = crowdedX else { return nil }
        let every = count == points.count
        let who = every ? "every \(level.rawValue)" : "\(count) of \(points.count) \(level.plural)"
        let at = low == high ? "risk \(formatX(low))" : "risks between \(formatX(low)) and \(formatX(high))"
        let why: String = switch risk {
        case .cvar where high == 0: every ? " (its worst 5% of draws still gains)" : " (their worst 5% of draws still gain)"
        case .loss where high == 0: " (no draw loses)"
        case .loss where low == 1: " (every draw loses)"
        default: ""
        }
        let other: RiskMeasure = risk == .sd ? .loss : .sd
        let verdict = low == high ? "\(risk.rawValue) cannot tell them apart; --risk \(other.rawValue) does"
            : "the chart draws them on one line; --risk \(other.rawValue) separates them"
        return "\(who) \(every ? "has" : "have") \(at)\(why): \(verdict)"
    }

    /// The x threshold in words, for a chart's legend and a report: "0.30, the ONS boundary between low and
    /// medium risk of automation".
    public var xThresholdMeaning: String {
        let v = formatX(xThreshold)
        return switch xThresholdBasis {
        case .onsMedium: "\(v), the ONS boundary between low and medium risk of automation"
        case .onsHigh: "\(v), the ONS boundary between medium and high risk of automation"
        case .evenOdds: "\(v), even odds (default)"
        case .median: "\(v), the median \(view == .output ? "share" : "risk") of the \(level.plural) (default)"
        case .set, .breakEven: "\(v), as set"
        }
    }

    /// The y threshold in words: "NPV ≥ 0, break-even (default)".
    public var yThresholdMeaning: String {
        let v = NumberFormatting.compact(yThreshold) + (currency.isEmpty ? "" : " \(currency)")
        let quantity = view == .probability ? "annual saving" : view == .output ? "output cost" : "NPV"
        return switch yThresholdBasis {
        case .breakEven: "\(quantity) ≥ \(v), break-even (default)"
        case .median: "\(quantity) ≥ \(v), the median expected \(quantity) of the \(level.plural)"
            + (view != .riskReturn ? " (default)" : "")
        default: "\(quantity) ≥ \(v), as set"
        }
    }
}

extension Level {
    /// "services", "roles", "organisations".
    public var plural: String { rawValue + "s" }
}

extension MappingResult {
    /// Builds the matrix of `level` in `view`.
    ///
    /// Quadrant probabilities count, over draws, where each draw places the
    /// entity. In the probability view both coordinates vary per draw. In the
    /// risk–return view risk is a property of the whole NPV distribution, not
    /// of one draw, so each draw keeps the entity's risk and varies only its
    /// NPV: P(automate-first) is then P(NPV ≥ y threshold) for a low-risk
    /// entity, and 0 for a high-risk one. "High" means ≥ the threshold; "low
    /// risk" means ≤ the risk threshold.
    ///
    /// A level, view or risk measure left nil is the scenario's `matrix:` choice, else
    /// `MatrixSettings/default` (services, probability view, sd), so the Swift API and `dxmap map` agree.
    public func matrix(level: Level? = nil, view: MatrixView? = nil, risk: RiskMeasure? = nil) -> RiskReturnMatrix {
        let (level, view, risk) = MatrixSettings(level: level, view: view, risk: risk).or(matrixSettings).resolved
        // An entity with no FTE (a role no task names, an organisation without services) has nothing to place.
        let indices = entities.indices.filter { entities[$0].level == level && entities[$0].fte > 0 }
        let empty = entities.filter { $0.level == level && !($0.fte > 0) }
        var matrix = placed(level: level, view: view, risk: risk, indices: indices)
        matrix.leftOut = empty
        if view == .output {
            let placedIds = Set(matrix.points.map(\.entity.id))
            matrix.withoutOutputCost = indices.map { entities[$0] }.filter { !placedIds.contains($0.id) }
        }
        return matrix
    }

    func placed(level: Level, view: MatrixView, risk: RiskMeasure, indices: [Int]) -> RiskReturnMatrix {
        let t = thresholds(for: level)
        let given = givenThresholds
        // A run that summarised named outputs only did not count quadrants: its probabilities are unknown, not 0.
        let n = countedQuadrants ? Double(run.draws) : .nan
        // p5–p95, or nil where the run kept no percentiles (a range cannot hold NaN).
        func range(_ s: DistributionSummary) -> ClosedRange<Double>? { s.p5.isNaN || s.p95.isNaN ? nil : s.p5...max(s.p5, s.p95) }
        switch view {
        case .probability:
            let points = indices.map { e -> MatrixPoint in
                let p = summary(e, .automationProbability), v = summary(e, .grossSaving)
                let q = Quadrant(favourableX: p.mean >= t.probability!, highY: v.mean >= t.value!)
                var probabilities: [Quadrant: Double] = [:]
                for quadrant in Quadrant.allCases {
                    probabilities[quadrant] = Double(quadrantHits[e * 4 + quadrant.counterIndex]) / n
                }
                return MatrixPoint(entity: entities[e], x: p.mean, y: v.mean, xRange: range(p),
                                   yRange: range(v), quadrant: q, probabilities: probabilities)
            }
            let xBasis: ThresholdBasis = switch given.probability {
            case nil: .evenOdds
            case 0.3: .onsMedium
            case 0.7: .onsHigh
            default: .set
            }
            return RiskReturnMatrix(level: level, view: view, risk: risk, xThreshold: t.probability!, yThreshold: t.value!,
                                    xThresholdBasis: xBasis, yThresholdBasis: given.value == nil ? .median : .set,
                                    points: points, xLabel: "automation probability (labour-weighted)",
                                    yLabel: "annual gross saving\(run.currency.isEmpty ? "" : " (\(run.currency))")", currency: run.currency)
        case .riskReturn:
            let risks = indices.map { risk.value(summary($0, .npv)) }
            let xThreshold = t.risk ?? median(risks)
            let points = zip(indices, risks).map { e, x -> MatrixPoint in
                let npv = summary(e, .npv)
                let lowRisk = x <= xThreshold
                let above = Double(returnHits[e]) / n
                let q = Quadrant(favourableX: lowRisk, highY: npv.mean >= t.return!)
                let (favoured, other) = countedQuadrants ? (lowRisk ? (1.0, 0.0) : (0, 1)) : (.nan, .nan)
                let probabilities: [Quadrant: Double] = [
                    .automateFirst: favoured * above, .opportunistic: favoured * (1 - above),
                    .pilot: other * above, .leave: other * (1 - above),
                ]
                return MatrixPoint(entity: entities[e], x: x, y: npv.mean, xRange: nil, yRange: range(npv),
                                   quadrant: q, probabilities: probabilities)
            }
            let riskLabel = switch risk {
            case .sd: "risk: sd of NPV"
            case .loss: "risk: P(NPV < 0)"
            case .cvar: "risk: expected loss in the worst 5% of draws"
            }
            let yBasis: ThresholdBasis = given.return == nil ? (given.returnAtMedian ? .median : .breakEven) : .set
            return RiskReturnMatrix(level: level, view: view, risk: risk, xThreshold: xThreshold, yThreshold: t.return!,
                                    xThresholdBasis: t.risk == nil ? .median : .set, yThresholdBasis: yBasis,
                                    points: points, xLabel: riskLabel + (run.currency.isEmpty || risk == .loss ? "" : " (\(run.currency))"),
                                    yLabel: "NPV over \(run.horizon) years\(run.currency.isEmpty ? "" : " (\(run.currency))")", currency: run.currency)
        case .output:
            // Only entities with an output cost; their quadrants by the means (no draw-by-draw count: the default
            // thresholds are medians known only after the run).
            let placed = indices.filter { !summary($0, .outputCost).mean.isNaN }
            let shares = placed.map { summary($0, .outputAutomationShare) }, costs = placed.map { summary($0, .outputCost) }
            let xThreshold = given.outputShare ?? median(shares.map(\.mean))
            let yThreshold = given.outputCost ?? median(costs.map(\.mean))
            let points = placed.indices.map { k -> MatrixPoint in
                let (x, y) = (shares[k], costs[k])
                return MatrixPoint(entity: entities[placed[k]], x: x.mean, y: y.mean, xRange: range(x), yRange: range(y),
                                   quadrant: Quadrant(favourableX: x.mean >= xThreshold, highY: y.mean >= yThreshold),
                                   probabilities: Dictionary(uniqueKeysWithValues: Quadrant.allCases.map { ($0, Double.nan) }))
            }
            let money = run.currency.isEmpty ? "" : " (\(run.currency))"
            return RiskReturnMatrix(level: level, view: view, risk: risk, xThreshold: xThreshold, yThreshold: yThreshold,
                                    xThresholdBasis: given.outputShare == nil ? .median : .set,
                                    yThresholdBasis: given.outputCost == nil ? .median : .set,
                                    points: points, xLabel: "automatable share of output cost (gross saving ÷ output cost)",
                                    yLabel: "annual output cost\(money)", currency: run.currency)
        }
    }
}

extension RiskMeasure {
    /// The risk of an NPV distribution, larger meaning riskier: its sd; P(NPV < 0); or the expected loss in the
    /// worst 5% of draws, −CVaR₅ where that is a loss and 0 where even those draws gain (a gain is no risk, so
    /// a large service whose worst draws still pay back does not look safer than a small one for its size).
    public func value(_ npv: DistributionSummary) -> Double {
        switch self {
        case .sd: npv.sd
        case .loss: npv.pLoss
        case .cvar: npv.cvar5.isNaN ? .nan : max(0, -npv.cvar5)
        }
    }
}

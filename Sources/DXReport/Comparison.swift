import DXEngine
import DXSampling

/// How every command words one option against a baseline on common random numbers (redeployment policies,
/// adoption programmes, VOI decisions), the same in the terminal, the CSVs and the report.
///
/// Each comparison carries two kinds of number that a reader must not confuse:
/// - **across futures**: the share of draws in which the option is better, and the 5th–95th percentile of the
///   per-draw difference ("better in 88% of futures, by −2.6M to +14.9M"): what the decision risks;
/// - **the mean**: the mean difference with the 95% Monte Carlo interval *of the mean*, which narrows with more draws
///   and says only how well the average is known.
public struct Comparison: Sendable {
    /// The option compared (a policy's or programme's name).
    public var option: String
    /// What is compared, as a reader says it: "redundancies", "net saving".
    public var outcome: String
    public var difference: PolicyDifference
    /// Money (compact, signed: +1.36M) or a count of people (signed whole numbers).
    public var isMoney: Bool

    public init(option: String, outcome: String, difference: PolicyDifference, isMoney: Bool) {
        (self.option, self.outcome, self.difference, self.isMoney) = (option, outcome, difference, isMoney)
    }

    /// The CSV columns of a comparison, named for what they are, and their values (``csvValues(_:)``).
    public static let csvColumns = ["mean_difference", "mean_difference_ci_low", "mean_difference_ci_high",
                                    "difference_p5", "difference_p95", "p_better", "p_worse", "p_tied"]

    /// The values of ``csvColumns`` for a difference, exact; p_better and p_worse empty where no direction is better.
    public static func csvValues(_ d: PolicyDifference) -> [String] {
        [d.mean, d.low, d.high, d.spread.p5, d.spread.p95, d.probabilityBetter, d.probabilityWorse, d.probabilityTied]
            .map { $0.isNaN ? "" : NumberFormatting.exact($0) }
    }

    /// A signed value: +1.36M, −2.60M (money) or +12, −231 (people).
    func signed(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        if x == 0 { return "0" }
        if isMoney { return (x >= 0 ? "+" : "−") + NumberFormatting.compact(abs(x)) }
        let n = x.rounded()
        return n == 0 ? "0" : (n > 0 ? "+" : "−") + String(format: "%.0f", abs(n))
    }

    /// The mean difference with the 95% interval of the mean: `+1.36M [+1.27M, +1.45M]`.
    public var meanText: String { "\(signed(difference.mean)) [\(signed(difference.low)), \(signed(difference.high))]" }

    /// The 5th to the 95th percentile of the difference across futures: `−2.60M to +14.9M`.
    public var spreadText: String { "\(signed(difference.spread.p5)) to \(signed(difference.spread.p95))" }

    /// The share of futures in which the option is better: `88%`; `>99%` or `<1%` rather than a rounded 100% or
    /// 0% that is not exactly all or none; `–` where no direction is better.
    public var betterText: String { Self.share(difference.probabilityBetter) }

    /// The share of futures with no difference (`–` when none ties).
    public var tiedText: String { difference.probabilityTied > 0 ? Self.share(difference.probabilityTied) : "–" }

    /// A share of draws as a percentage that never rounds to all or none unless it is.
    public static func share(_ p: Double) -> String {
        guard p.isFinite else { return "–" }
        if p == 1 { return "100%" }
        if p == 0 { return "0%" }
        if p > 0.995 { return ">99%" }
        if p < 0.005 { return "<1%" }
        return String(format: "%.0f%%", p * 100)
    }

    /// The sentence a decision-maker reads: "Cross-organisation pool against Redundancy only: net saving better in
    /// 88% of futures, by −2.60M to +14.9M (5th to 95th percentile; mean +1.36M)."
    public func sentence(against baseline: String) -> String { "\(option) against \(baseline): \(clause)." }

    /// "net saving better in 88% of futures, by −2.60M to +14.9M (5th to 95th percentile; mean +1.36M)".
    var clause: String {
        var s = "\(outcome) better in \(betterText) of futures"
        if difference.probabilityTied >= 0.005 { s += " (the same in \(Self.share(difference.probabilityTied)))" }
        return s + ", by \(spreadText) (5th to 95th percentile; mean \(signed(difference.mean)))"
    }

    /// One sentence per option, its outcomes' clauses joined: "Internal redeployment: redundancies better in 98% of
    /// futures …; net saving better in …".
    static func sentences(_ comparisons: [Comparison]) -> [String] {
        var order: [String] = [], clauses: [String: [String]] = [:]
        for c in comparisons {
            if clauses[c.option] == nil { order.append(c.option) }
            clauses[c.option, default: []].append(c.clause)
        }
        return order.map { "\($0): \(clauses[$0]!.joined(separator: "; "))." }
    }

    /// The comparison table (``table(_:optionHeader:outcomeHeader:)``): one row per option and outcome, the option's name on its first row only; a "tied"
    /// column only when some option ties the baseline in at least 0.5% of futures.
    /// With `outcomeHeader` nil the outcome column is left out (every row compares the same outcome).
    public static func table(_ comparisons: [Comparison], optionHeader: String = "option", outcomeHeader: String? = "outcome") -> TableData {
        let ties = comparisons.contains { $0.difference.probabilityTied >= 0.005 }
        var headers = [optionHeader] + (outcomeHeader.map { [$0] } ?? []) + ["better in"]
        if ties { headers.append("tied in") }
        headers += ["Δ p5 to p95", "Δ mean [95% CI of mean]"]
        var previous: String?
        let rows = comparisons.map { c -> [String] in
            defer { previous = c.option }
            var row = [c.option == previous ? "" : c.option] + (outcomeHeader == nil ? [] : [c.outcome]) + [c.betterText]
            if ties { row.append(c.tiedText) }
            return row + [c.spreadText, c.meanText]
        }
        let text: Set<Int> = outcomeHeader == nil ? [0] : [0, 1]
        return TableData(headers: headers, rows: rows, leftAligned: text, cuttable: text)
    }

    /// A report section: one sentence per comparison, how to read them, and the table; nil when there is nothing
    /// to compare (one option only).
    public static func section(_ compared: [Comparison], option: String, baseline: String, caption: String) -> HTMLReport.Section? {
        guard !compared.isEmpty else { return nil }
        return HTMLReport.Section(
            title: "Each \(option) against \(baseline), across futures",
            howToRead: ["Against \(baseline), on the same draws:"] + sentences(compared) + [
                "Each draw is one future, the same under every \(option). \"Better in\" is the share of futures in which the " +
                    "\(option) beats \(baseline); the 5th to 95th percentile is how far apart the two end up in 90% of futures. " +
                    "The mean's 95% interval only says how well the average is known: it narrows with more draws, the spread does not.",
            ],
            tables: [(caption, table(compared, optionHeader: option))])
    }

    /// The key printed under ``table(_:optionHeader:outcomeHeader:)``, one line per sentence (the terminal wraps them); `option`
    /// names what is compared ("policy", "programme").
    public static func key(option: String, draws: Int) -> [String] {
        ["better in: the share of the \(draws) futures (draws) in which a \(option) beats the first one",
         "Δ: \(option) − first \(option); p5 to p95 across futures; the CI is the mean's, narrowing with draws"]
    }
}

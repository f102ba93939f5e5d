import DXEngine
import DXSampling
import DXScenario
import Foundation

/// How a mapping run against a baseline (`dxmap map … --versus OTHER` or `--versus-no-evidence`) reads in every
/// form: `versus.csv`, the terminal's comparison table, JSON's `versus` and a first section of the report.
extension MappingComparison {
    /// `versus.csv`'s header: one row per service, role, organisation and the total both runs have.
    public static let csvHeader = (["level", "id", "name", "npv_mean", "baseline_npv_mean"] + Comparison.csvColumns).joined(separator: ",")

    public var csv: String {
        let lines = rows.map { r in
            CSVOutput.row([r.level.rawValue, r.id, r.name] + [r.mean, r.baselineMean].map(NumberFormatting.exact)
                + Comparison.csvValues(r.difference))
        }
        return ([Self.csvHeader] + lines).joined(separator: "\n") + "\n"
    }

    /// The comparisons of the total and the entities of `level`, as every comparison table words them.
    public func comparisons(level: Level) -> [Comparison] {
        rows(level: level).map { Comparison(option: $0.name, outcome: "NPV", difference: $0.difference, isMoney: true) }
    }

    /// Terminal lines: what is compared, the table, its key and any note.
    public func lines(level: Level, draws: Int, width: Int?) -> [String] {
        TextTable.wrap("Against \(baseline), on the same \(NumberFormatting.grouped(draws)) draws (this run − baseline):", width: width)
            + Comparison.table(comparisons(level: level), optionHeader: level.rawValue + " NPV", outcomeHeader: nil)
                .lines(width: width)
            + TextTable.wrap(keyLines(draws: draws), width: width)
    }

    func keyLines(draws: Int) -> [String] {
        ["better in: the share of the \(draws) futures (draws) in which this run's NPV is higher than in \(baseline)",
         "Δ: this run − \(baseline); p5 to p95 across futures; the CI is the mean's, narrowing with draws"] + notes
    }

    /// What a reader must know about the pairing: draws that are not one future in both, entities one run lacks.
    var notes: [String] {
        var notes: [String] = []
        if !sameTasks {
            notes.append("note: the two scenarios' tasks differ, so a draw is not the same future in both; the shares and spreads " +
                         "mix scenario and sampling differences")
        }
        if !unmatched.isEmpty {
            notes.append("note: compared only where both have the entity; not in both: \(unmatched.prefix(6).joined(separator: ", "))" +
                         (unmatched.count > 6 ? ", …" : ""))
        }
        return notes
    }

    /// The report's section: a sentence per compared entity (the total first), the total's difference across futures
    /// as a histogram and S-curve, and the table.
    public func section(level: Level, run: RunInfo) -> HTMLReport.Section {
        let compared = comparisons(level: level)
        let total = rows.first { $0.level == .total }
        let chart = total?.curve.map { curve in
            DistributionChart.svg(
                title: "The total NPV against \(baseline), draw by draw",
                subtitle: "This run − \(baseline) on the same \(NumberFormatting.grouped(run.draws)) draws, discounted at " +
                    NumberFormatting.rate(run.discountRate),
                rows: [.init(title: "Difference in total NPV (\(run.currency.isEmpty ? "currency units" : run.currency))",
                             series: [.init(name: "this run − \(baseline)", curve: curve, colour: "#1b9e77",
                                            shareAbove: total!.difference.probabilityBetter)],
                             isMoney: true, reference: 0, referenceName: "no difference")])
        }
        return HTMLReport.Section(
            title: "This run against \(baseline), across futures",
            howToRead: ["On the same draws, this run against \(baseline):"] + Comparison.sentences(compared) + [
                "Each draw is one future seen under both. \"Better in\" is the share of futures in which this run's NPV is the " +
                    "higher; the 5th to 95th percentile is how far apart the two end up in 90% of futures. The mean's 95% " +
                    "interval only says how well the average is known: it narrows with more draws, the spread does not.",
            ],
            chart: chart,
            tables: [("Against \(baseline), per \(level.rawValue)", Comparison.table(compared, optionHeader: level.rawValue + " NPV",
                                                                                      outcomeHeader: nil))],
            notes: notes.map { $0.replacingOccurrences(of: "note: ", with: "Note: ") })
    }
}

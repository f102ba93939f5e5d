import DXEngine
import DXSampling
import DXScenario
import Foundation

/// JSON forms of the outputs (`--format json`, `run.json`). NaN becomes null.
public enum JSONOutput {
    struct SummaryRow: Encodable {
        let level: String, id: String, name: String, metric: String
        let mean: JSONNumber, sd: JSONNumber, p5: JSONNumber, p25: JSONNumber, p50: JSONNumber, p75: JSONNumber, p95: JSONNumber
        let p_loss: JSONNumber, cvar5: JSONNumber
    }

    struct MatrixRow: Encodable {
        let level: String, id: String, name: String
        let x: JSONNumber, y: JSONNumber, x_p5: JSONNumber, x_p95: JSONNumber, y_p5: JSONNumber, y_p95: JSONNumber
        let labour_value: Double
        let quadrant: String
        let p_automate_first: Double, p_pilot: Double, p_opportunistic: Double, p_leave: Double
        let borderline: Bool
    }

    struct MatrixDocument: Encodable {
        let level: String, view: String, risk: String
        let x_label: String, y_label: String, x_threshold: JSONNumber, y_threshold: JSONNumber
        let x_threshold_basis: String, y_threshold_basis: String, x_threshold_meaning: String, y_threshold_meaning: String
        let currency: String
        let points: [MatrixRow]
    }

    struct Document: Encodable {
        let run: RunRecord
        let matrix: MatrixDocument
        let summary: [SummaryRow]
        /// With `--versus`: each entity both runs have, its NPV means and the difference (absent otherwise).
        let versus: [VersusRow]?
    }

    struct VersusRow: Encodable {
        let level: String, id: String, name: String, npv_mean: JSONNumber, baseline_npv_mean: JSONNumber
        let difference: DifferenceFields
    }

    static func finite(_ x: Double) -> JSONNumber { JSONNumber(x) }
    static func finite(_ x: Double?) -> JSONNumber { JSONNumber(x ?? .nan) }

    /// Everything a run produced, as one JSON document.
    public static func document(run: RunRecord, result: MappingResult, matrix: RiskReturnMatrix, versus: MappingComparison? = nil) throws -> String {
        let rows = versus?.rows.map { r in
            VersusRow(level: r.level.rawValue, id: r.id, name: r.name, npv_mean: finite(r.mean), baseline_npv_mean: finite(r.baselineMean),
                      difference: DifferenceFields(r.difference))
        }
        return try encode(Document(run: run, matrix: matrixDocument(matrix), summary: summaryRows(result), versus: rows))
    }

    struct RedeploymentRow: Encodable {
        let policy: String, year: Int, organisation: String, role: String, metric: String
        let mean: JSONNumber, sd: JSONNumber, p5: JSONNumber, p50: JSONNumber, p95: JSONNumber
    }

    /// An option against the baseline (``Comparison``): the mean difference with the 95% interval of the mean, the
    /// difference's 5th and 95th percentiles across draws, and the shares of draws better, worse and tied (null
    /// where no direction is better).
    struct DifferenceFields: Encodable {
        let mean: JSONNumber, mean_ci_low: JSONNumber, mean_ci_high: JSONNumber, p5: JSONNumber, p95: JSONNumber
        let p_better: JSONNumber, p_worse: JSONNumber, p_tied: JSONNumber

        init(_ d: PolicyDifference) {
            (mean, mean_ci_low, mean_ci_high) = (finite(d.mean), finite(d.low), finite(d.high))
            (p5, p95) = (finite(d.spread.p5), finite(d.spread.p95))
            (p_better, p_worse, p_tied) = (finite(d.probabilityBetter), finite(d.probabilityWorse), finite(d.probabilityTied))
        }
    }

    struct DifferenceRow: Encodable {
        let policy: String, metric: String, difference: DifferenceFields
    }

    struct RedeploymentDocument: Encodable {
        let run: RunRecord
        let results: [RedeploymentRow]
        let differences: [DifferenceRow]
        /// Who bears it, as `equality.csv` has it; absent without a workforce composition.
        let equality: [EqualityRow]?
    }

    struct EqualityRow: Encodable {
        let policy: String, dimension: String, group: String, people: Int, workforceShare: JSONNumber, flow: String
        let mean: JSONNumber, sd: JSONNumber, p5: JSONNumber, p50: JSONNumber, p95: JSONNumber, shareOfFlow: JSONNumber
        let rateRatio: RateRatioFields?

        enum CodingKeys: String, CodingKey {
            case policy, dimension, group, people, workforceShare = "workforce_share", flow, mean, sd, p5, p50, p95
            case shareOfFlow = "share_of_flow", rateRatio = "rate_ratio"
        }
    }

    /// A rate ratio; ∞ (only the group has any) is written as null, like NaN.
    struct RateRatioFields: Encodable {
        let estimate: JSONNumber, p5: JSONNumber, p50: JSONNumber, p95: JSONNumber, pAbove1: JSONNumber, adverseImpact: Bool

        enum CodingKeys: String, CodingKey {
            case estimate, p5, p50, p95, pAbove1 = "p_above_1", adverseImpact = "adverse_impact"
        }
    }

    /// A redeployment run as one JSON document: the run record, every `redeploy.csv` row, and the differences.
    public static func redeployment(run: RunRecord, result r: RedeploymentResult) throws -> String {
        let rows = r.rows().map { row in
            RedeploymentRow(policy: row.policy, year: row.year, organisation: row.organisation ?? "*", role: row.role ?? "*",
                            metric: row.metric.name, mean: finite(row.summary.mean), sd: finite(row.summary.sd),
                            p5: finite(row.summary.p5), p50: finite(row.summary.p50), p95: finite(row.summary.p95))
        }
        let differences = r.policies.flatMap { p in RedeploymentMetric.allCases.compactMap { m in
            r.difference(policy: p.id, metric: m).map { DifferenceRow(policy: p.id, metric: m.name, difference: DifferenceFields($0)) }
        } }
        let equality = r.equality.map { e in
            e.rows().flatMap { row in EqualityFlow.allCases.map { flow in
                let s = row.summary(flow)
                return EqualityRow(
                    policy: row.policy, dimension: row.dimension, group: row.group, people: row.people,
                    workforceShare: finite(row.workforceShare), flow: flow.name, mean: finite(s.mean), sd: finite(s.sd), p5: finite(s.p5),
                    p50: finite(s.p50), p95: finite(s.p95), shareOfFlow: finite(row.share(of: flow)),
                    rateRatio: row.rateRatio(flow).map {
                        RateRatioFields(estimate: finite($0.estimate), p5: finite($0.p5), p50: finite($0.median), p95: finite($0.p95),
                                        pAbove1: finite($0.probabilityAbove), adverseImpact: $0.isAdverse)
                    })
            } }
        }
        return try encode(RedeploymentDocument(run: run, results: rows, differences: differences, equality: equality))
    }

    struct ProgrammeRow: Encodable {
        let programme: String, level: String, id: String, metric: String
        let mean: JSONNumber, sd: JSONNumber, p5: JSONNumber, p50: JSONNumber, p95: JSONNumber
        let difference: DifferenceFields
    }

    struct AdoptionDocument: Encodable {
        let run: RunRecord
        let programmes: [ProgrammeRow]
    }

    /// An adoption comparison as one JSON document: the run record and every `programmes.csv` row.
    public static func adoption(run: RunRecord, result r: AdoptionResult) throws -> String {
        let rows = r.programmes.flatMap { p in r.entities.flatMap { e in AdoptionMetric.allCases.compactMap { m -> ProgrammeRow? in
            guard let s = r.summary(programme: p.id, level: e.level, id: e.id, m),
                  let d = r.difference(programme: p.id, level: e.level, id: e.id, m) else { return nil }
                    return ProgrammeRow(
                        programme: p.id, level: e.level.rawValue, id: e.id, metric: m.rawValue, mean: finite(s.mean), sd: finite(s.sd),
                                p5: finite(s.p5), p50: finite(s.p50), p95: finite(s.p95),
                                difference: DifferenceFields(d))
        } } }
        return try encode(AdoptionDocument(run: run, programmes: rows))
    }

    /// `run.json`.
    public static func run(_ record: RunRecord) throws -> String { try encode(record) }

    /// `run.json` of a study or an export.
    public static func run(_ record: StudyRecord) throws -> String { try encode(record) }

    static func summaryRows(_ result: MappingResult) -> [SummaryRow] {
        result.entities.enumerated().flatMap { e, entity in
            result.metrics.map { metric in
                let s = result.summary(e, metric)
                return SummaryRow(level: entity.level.rawValue, id: entity.id, name: entity.name, metric: metric.rawValue,
                                  mean: finite(s.mean), sd: finite(s.sd), p5: finite(s.p5), p25: finite(s.p25),
                                  p50: finite(s.p50), p75: finite(s.p75), p95: finite(s.p95),
                                  p_loss: finite(metric == .npv ? s.pLoss : .nan), cvar5: finite(metric == .npv ? s.cvar5 : .nan))
            }
        }
    }

    static func matrixDocument(_ m: RiskReturnMatrix) -> MatrixDocument {
        MatrixDocument(level: m.level.rawValue, view: m.view.rawValue, risk: m.risk.rawValue, x_label: m.xLabel, y_label: m.yLabel,
                       x_threshold: finite(m.xThreshold), y_threshold: finite(m.yThreshold),
                       x_threshold_basis: m.xThresholdBasis.rawValue, y_threshold_basis: m.yThresholdBasis.rawValue,
                       x_threshold_meaning: m.xThresholdMeaning, y_threshold_meaning: m.yThresholdMeaning, currency: m.currency,
                       points: m.points.map { p in
                           MatrixRow(level: p.entity.level.rawValue, id: p.entity.id, name: p.entity.name, x: finite(p.x), y: finite(p.y),
                                     x_p5: finite(p.xRange?.lowerBound), x_p95: finite(p.xRange?.upperBound),
                                     y_p5: finite(p.yRange?.lowerBound), y_p95: finite(p.yRange?.upperBound),
                                     labour_value: p.entity.labourValue, quadrant: p.quadrant.rawValue,
                                     p_automate_first: p.probabilities[.automateFirst] ?? 0, p_pilot: p.probabilities[.pilot] ?? 0,
                                     p_opportunistic: p.probabilities[.opportunistic] ?? 0, p_leave: p.probabilities[.leave] ?? 0,
                                     borderline: p.isBorderline)
                       })
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

/// A number in JSON that is never dropped: finite numbers as they are, NaN and infinities as an explicit
/// `null` (JSON has no NaN), so every row keeps every key and a reader sees where a value is missing.
struct JSONNumber: Encodable {
    let value: Double
    init(_ value: Double) { self.value = value }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if value.isFinite { try container.encode(value) } else { try container.encodeNil() }
    }
}

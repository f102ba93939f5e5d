import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

/// Provenance of a run (`run.json`): enough to reproduce it exactly.
public struct RunRecord: Codable, Sendable, Equatable {
    public var dxmapVersion: String
    public var command: String
    public var scenario: String
    public var scenarioSHA256: String
    public var seed: UInt64
    public var draws: Int
    public var threads: Int
    public var generator: String
    /// How inputs were drawn from the generator's uniforms: `gsl-direct` or `inversion` (``Sampler/Method``); absent in
    /// records from before it could be chosen, which are `gsl-direct`.
    public var sampler: String?
    /// How the draws covered the inputs: `plain`, `latin-hypercube` or `sobol` (``DrawDesign``); absent in records from
    /// before designs, which are plain.
    public var drawDesign: String?
    /// A design's independent replicates, from whose means its standard errors come (absent for plain draws).
    public var replicates: Int?
    public var chunkSize: Int
    public var wallTimeSeconds: Double
    /// When the run finished (ISO 8601, UTC).
    public var date: String
    /// The scenario's currency, the unit of every money value in the run's files (empty if the scenario names none).
    public var currency: String?
    /// Matrix level, view and risk measure (`dxmap map` only).
    public var level: String?
    public var view: String?
    public var risk: String?
    /// Whether tasks' summaries have percentiles and CVaR (`dxmap map` only; `--task-percentiles`).
    public var taskPercentiles: Bool?
    /// Policies compared, baseline first (`dxmap redeploy` only).
    public var policies: [String]?
    /// The adoption programme whose routines ran (with barriers and `--programme` only).
    public var programme: String?
    /// Programmes compared, baseline first (`dxmap adopt` only).
    public var programmes: [String]?
    /// What the matrix's axes measure and where its thresholds are (`dxmap map` only).
    public var matrix: MatrixAxes?
    /// The scenario's evidence, each with whether this run applied it (`--no-evidence`: none applied); absent
    /// when the scenario has none.
    public var evidence: [EvidenceRecord]?
    /// The EVPPI estimator (`dxmap voi` only): `v2`, or `v1` for the numbers of earlier releases (`--evppi`).
    public var evppiEstimator: String?

    /// The matrix's axes: each one's quantity, threshold, where the threshold comes from and what it means, and
    /// below which share of draws in its quadrant a placement is borderline.
    public struct MatrixAxes: Codable, Sendable, Equatable {
        public struct Axis: Codable, Sendable, Equatable {
            public var quantity: String
            public var threshold: Double
            public var thresholdBasis: String
            public var thresholdMeaning: String
            enum CodingKeys: String, CodingKey {
                case quantity, threshold, thresholdBasis = "threshold_basis", thresholdMeaning = "threshold_meaning"
            }
        }
        public var x: Axis
        public var y: Axis
        public var borderlineBelow: Double
        enum CodingKeys: String, CodingKey { case x, y, borderlineBelow = "borderline_below" }

        public init(_ m: RiskReturnMatrix) {
            x = Axis(quantity: m.xLabel, threshold: m.xThreshold, thresholdBasis: m.xThresholdBasis.rawValue,
                     thresholdMeaning: m.xThresholdMeaning)
            y = Axis(quantity: m.yLabel, threshold: m.yThreshold, thresholdBasis: m.yThresholdBasis.rawValue,
                     thresholdMeaning: m.yThresholdMeaning)
            borderlineBelow = MatrixPoint.borderlineBelow
        }
    }

    enum CodingKeys: String, CodingKey {
        case dxmapVersion = "dxmap_version", command, scenario, scenarioSHA256 = "scenario_sha256", seed, draws, threads
        case generator, sampler, drawDesign = "draw_design", replicates, chunkSize = "chunk_size", wallTimeSeconds = "wall_time_seconds", date, currency, level, view, risk
        case taskPercentiles = "task_percentiles", policies, programme, programmes, matrix, evidence
        case evppiEstimator = "evppi_estimator"
    }

    /// The common part of every run's record; the SHA-256 is that of the scenario file's bytes.
    public init(command: String, scenarioPath: String, scenarioBytes: Data, seed: UInt64, draws: Int, threads: Int,
                generator: String, wallTime: Double, currency: String? = nil) {
        dxmapVersion = DXMapVersion.current
        self.command = command
        scenario = scenarioPath
        scenarioSHA256 = SHA256.hex(scenarioBytes)
        self.seed = seed
        self.draws = draws
        self.threads = threads
        self.generator = generator
        chunkSize = MappingOptions.chunkSize
        wallTimeSeconds = (wallTime * 1000).rounded() / 1000
        date = RunRecord.now()
        self.currency = currency
    }

    /// Records how a run drew: its generator, sampler, draw design, replicates and chunk size, from the settings as the
    /// engine resolved them (``MonteCarloSettings/resolved(for:)``), so that the record cannot disagree with the run.
    public mutating func record(_ settings: MonteCarloSettings) {
        generator = settings.generator.rawValue
        sampler = settings.sampler.rawValue
        drawDesign = settings.design.method.rawValue
        replicates = settings.design.method == .plain ? nil : settings.design.replicates
        chunkSize = settings.chunkSize
    }

    /// The present moment in ISO 8601, to the second, UTC.
    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }

    /// The record of a mapping run.
    public init(command: String, scenarioPath: String, scenarioBytes: Data, result: MappingResult, matrix: RiskReturnMatrix) {
        self.init(command: command, scenarioPath: scenarioPath, scenarioBytes: scenarioBytes, seed: result.seed, draws: result.draws,
                  threads: result.threadsUsed, generator: result.generator.rawValue, wallTime: result.wallTime,
                  currency: result.currency)
        level = matrix.level.rawValue
        view = matrix.view.rawValue
        risk = matrix.risk.rawValue
        taskPercentiles = result.percentileLevels.contains(.task)
        programme = result.programme
        self.matrix = MatrixAxes(matrix)
    }
}

/// Provenance of a study's or an export's files (`run.json` beside sensitivity, discovery and export files):
/// the command line that made them and the identity of what they were made from.
public struct StudyRecord: Codable, Sendable, Equatable {
    public var dxmapVersion: String
    public var command: String
    public var arguments: [String]
    /// Each input: its path and an identity (the SHA-256 of a sweep file, or of the sweep a database holds).
    public var inputs: [Input]
    public var wallTimeSeconds: Double
    /// When the study finished (ISO 8601, UTC).
    public var date: String

    public struct Input: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String
        public init(path: String, sha256: String) { (self.path, self.sha256) = (path, sha256) }
    }

    enum CodingKeys: String, CodingKey {
        case dxmapVersion = "dxmap_version", command, arguments, inputs, wallTimeSeconds = "wall_time_seconds", date
    }

    public init(command: String, arguments: [String], inputs: [Input], wallTime: Double) {
        dxmapVersion = DXMapVersion.current
        (self.command, self.arguments, self.inputs) = (command, arguments, inputs)
        wallTimeSeconds = (wallTime * 1000).rounded() / 1000
        date = RunRecord.now()
    }
}

/// One piece of evidence applied to one task's input, as run.json and reports show it: the observation, and the
/// input's prior and posterior as mean and 90% interval.
public struct EvidenceRecord: Codable, Sendable, Equatable {
    public var id: String
    public var task: String
    public var input: String
    /// What was observed: "31/60 succeeded" (cases handled end to end), or a measurement "1.60bn (se 400M)".
    public var observed: String
    public var method: String
    public var prior: Summary
    public var posterior: Summary
    /// Whether the run used the posterior (false under `--no-evidence`).
    public var applied: Bool

    /// A distribution's family, mean and 90% interval.
    public struct Summary: Codable, Sendable, Equatable {
        public var family: String
        public var mean: Double
        public var p5: Double
        public var p95: Double

        public init(_ d: Distribution) {
            family = d.family
            mean = d.mean
            (p5, p95) = (d.quantile(0.05), d.quantile(0.95))
        }
    }

    public init(_ a: AppliedEvidence, applied: Bool) {
        (id, task, input, method, self.applied) = (a.evidence, a.task, a.input.rawValue, a.method.rawValue, applied)
        switch a.observation {
        case let .successes(s, n): observed = "\(s)/\(n) succeeded"
        case let .measured(v, se): observed = "\(NumberFormatting.compact(v)) (se \(NumberFormatting.compact(se)))"
        }
        prior = Summary(a.prior)
        posterior = Summary(a.posterior)
    }

    /// The records of a scenario's evidence (as read, with its evidence applied); nil when it has none.
    public static func list(_ scenario: Scenario, applied: Bool) -> [EvidenceRecord]? {
        scenario.appliedEvidence.isEmpty ? nil : scenario.appliedEvidence.map { EvidenceRecord($0, applied: applied) }
    }
}

extension EvidenceRecord {
    /// Each piece of evidence with the input's prior and posterior, mean and 90% interval, as terminal lines.
    public static func table(_ records: [EvidenceRecord]) -> [String] {
        func summary(_ s: Summary) -> String {
            "\(NumberFormatting.compact(s.mean)) (\(NumberFormatting.compact(s.p5))–\(NumberFormatting.compact(s.p95)))"
        }
        let applied = records.allSatisfy(\.applied)
        // Within 100 columns: the task by its own id, the method left out (run.json has both whole).
        let lines = TextTable.lines(
            headers: ["evidence", "task:input", "observed", "prior mean (90%)", "posterior mean (90%)"],
            rows: records.map { r in
                let task = r.task.split(separator: "/").last.map(String.init) ?? r.task
                return [shortened(r.id, to: 22), shortened("\(task):\(r.input)", to: 24), shortened(r.observed, to: 18),
                        summary(r.prior), summary(r.posterior)]
            },
            leftAligned: [0, 1, 2])
        return [applied ? "Evidence, applied before the run (--no-evidence sets it aside):" : "Evidence, set aside (--no-evidence):"] + lines
    }
}

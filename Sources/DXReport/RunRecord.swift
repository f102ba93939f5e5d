import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

/// Provenance of a run (`run.json`): enough to reproduce it exactly. The run's own header (`RunInfo`: scenario,
/// horizon, currency, discount rate, draws, seed, sampling, threads, wall time), where the scenario came from and the
/// command line, the evidence the run applied, and what only one command has (``Details``).
public struct RunRecord: Encodable, Sendable, Equatable {
    public var dxmapVersion: String
    /// The command (`map`, `redeploy`, `adopt`, `voi`, or a library caller's own word).
    public var command: String
    /// The command line after the program's name, flags included, so that the run can be repeated from its record.
    public var arguments: [String]
    /// The scenario file's path and the SHA-256 of its bytes.
    public var scenario: String
    public var scenarioSHA256: String
    /// The run as the engine did it.
    public var run: RunInfo
    /// When the run finished (ISO 8601, UTC).
    public var date: String
    /// The scenario's evidence, each with whether this run applied it (`--no-evidence`: none applied); absent
    /// when the scenario has none.
    public var evidence: [EvidenceRecord]?
    /// What one command alone records.
    public var details: Details
    /// The value the report reads "above it in X% of futures" against (`--target`; nil: 0, break-even).
    public var target: Double? = nil
    /// The baseline of a run compared draw by draw (`--versus`, `--versus-no-evidence`): its scenario file and that
    /// file's SHA-256, and whether its evidence was applied.
    public var versus: Versus? = nil

    public struct Versus: Codable, Sendable, Equatable {
        public var scenario: String
        public var sha256: String
        public var evidenceApplied: Bool
        public init(scenario: String, sha256: String, evidenceApplied: Bool) {
            (self.scenario, self.sha256, self.evidenceApplied) = (scenario, sha256, evidenceApplied)
        }
        enum CodingKeys: String, CodingKey { case scenario, sha256, evidenceApplied = "evidence_applied" }
    }

    /// What one command alone records, beside the header every run has.
    public enum Details: Sendable, Equatable {
        /// `dxmap map`: the matrix's level, view and risk measure, what its axes measure, whether tasks have
        /// percentiles, and the adoption programme whose routines ran.
        case mapping(level: String, view: String, risk: String, taskPercentiles: Bool, programme: String?, matrix: MatrixAxes)
        /// `dxmap redeploy`: the policies compared (baseline first) and the adoption programme.
        case redeployment(policies: [String], programme: String?)
        /// `dxmap adopt`: the programmes compared, baseline first.
        case adoption(programmes: [String])
        /// `dxmap voi`: the level of an automation decision (nil for the others) and the EVPPI estimator (`v2`, or
        /// `v1` for the numbers of earlier releases).
        case valueOfInformation(level: String?, evppiEstimator: String)
        /// A run with nothing more to record (a library caller's).
        case none

        /// The adoption programme whose routines ran, where the command has one.
        public var programme: String? {
            switch self {
            case let .mapping(_, _, _, _, programme, _), let .redeployment(_, programme): programme
            default: nil
            }
        }
    }

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
        case dxmapVersion = "dxmap_version", command, arguments, scenario, scenarioSHA256 = "scenario_sha256"
        case scenarioName = "scenario_name", horizon, startYear = "start_year", discountRate = "discount_rate", seed, draws, threads
        case generator, sampler, drawDesign = "draw_design", replicates, chunkSize = "chunk_size", wallTimeSeconds = "wall_time_seconds"
        case date, currency, level, view, risk, taskPercentiles = "task_percentiles", policies, programme, programmes, matrix
        case evidence, evppiEstimator = "evppi_estimator", target, versus
    }

    /// run.json's keys: flat, as pandas' `json_normalize` reads them (`matrix.y.threshold`).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dxmapVersion, forKey: .dxmapVersion)
        try c.encode(command, forKey: .command)
        try c.encode(arguments, forKey: .arguments)
        try c.encode(scenario, forKey: .scenario)
        try c.encode(scenarioSHA256, forKey: .scenarioSHA256)
        try c.encode(run.scenarioName, forKey: .scenarioName)
        try c.encode(run.horizon, forKey: .horizon)
        try c.encode(run.discountRate, forKey: .discountRate)
        try c.encodeIfPresent(run.startYear, forKey: .startYear)
        try c.encode(run.seed, forKey: .seed)
        try c.encode(run.draws, forKey: .draws)
        try c.encode(run.threadsUsed, forKey: .threads)
        try c.encode(run.generator.rawValue, forKey: .generator)
        try c.encode(run.sampler.rawValue, forKey: .sampler)
        try c.encode(run.design.method.rawValue, forKey: .drawDesign)
        if run.design.method != .plain { try c.encode(run.design.replicates, forKey: .replicates) }
        try c.encode(run.chunkSize, forKey: .chunkSize)
        try c.encode(wallTimeSeconds, forKey: .wallTimeSeconds)
        try c.encode(date, forKey: .date)
        try c.encode(run.currency, forKey: .currency)
        try c.encodeIfPresent(evidence, forKey: .evidence)
        try c.encodeIfPresent(target, forKey: .target)
        try c.encodeIfPresent(versus, forKey: .versus)
        switch details {
        case let .mapping(level, view, risk, taskPercentiles, programme, matrix):
            try c.encode(level, forKey: .level)
            try c.encode(view, forKey: .view)
            try c.encode(risk, forKey: .risk)
            try c.encode(taskPercentiles, forKey: .taskPercentiles)
            try c.encodeIfPresent(programme, forKey: .programme)
            try c.encode(matrix, forKey: .matrix)
        case let .redeployment(policies, programme):
            try c.encode(policies, forKey: .policies)
            try c.encodeIfPresent(programme, forKey: .programme)
        case let .adoption(programmes):
            try c.encode(programmes, forKey: .programmes)
        case let .valueOfInformation(level, estimator):
            try c.encodeIfPresent(level, forKey: .level)
            try c.encode(estimator, forKey: .evppiEstimator)
        case .none:
            break
        }
    }

    /// The run's wall time in seconds, to the millisecond, as run.json gives it.
    public var wallTimeSeconds: Double { (run.wallTime * 1000).rounded() / 1000 }

    /// The record of a run: its header from the result, the scenario file's identity (the SHA-256 of its bytes), the
    /// command line (by default this process's, after the program's name) and the command's own details.
    public init(command: String, arguments: [String] = Array(CommandLine.arguments.dropFirst()), scenarioPath: String,
                scenarioBytes: Data, run: RunInfo, evidence: [EvidenceRecord]? = nil, details: Details = .none) {
        dxmapVersion = DXMapVersion.current
        (self.command, self.arguments) = (command, arguments)
        scenario = scenarioPath
        scenarioSHA256 = SHA256.hex(scenarioBytes)
        self.run = run
        date = RunRecord.now()
        self.evidence = evidence
        self.details = details
    }

    /// The present moment in ISO 8601, to the second, UTC.
    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}

extension RunRecord.Details {
    /// A mapping run's details: its matrix and what its task rows hold.
    public static func mapping(_ result: MappingResult, matrix: RiskReturnMatrix) -> Self {
        .mapping(level: matrix.level.rawValue, view: matrix.view.rawValue, risk: matrix.risk.rawValue,
                 taskPercentiles: result.percentileLevels.contains(.task), programme: result.programme,
                 matrix: RunRecord.MatrixAxes(matrix))
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
        observed = a.observation.summary
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
    public static func table(_ records: [EvidenceRecord], width: Int? = TerminalStyle.defaultColumns) -> [String] {
        func summary(_ s: Summary) -> String {
            "\(NumberFormatting.compact(s.mean)) (\(NumberFormatting.compact(s.p5))–\(NumberFormatting.compact(s.p95)))"
        }
        let applied = records.allSatisfy(\.applied)
        // The task by its own id, the method left out (run.json has both whole); ids and tasks cut to fit the terminal.
        let lines = TextTable.lines(
            headers: ["evidence", "task:input", "observed", "prior mean (90%)", "posterior mean (90%)"],
            rows: records.map { r in
                let task = r.task.split(separator: "/").last.map(String.init) ?? r.task
                return [r.id, "\(task):\(r.input)", shortened(r.observed, to: 18),
                        summary(r.prior), summary(r.posterior)]
            },
            leftAligned: [0, 1, 2], cuttable: [0, 1], width: width)
        return [applied ? "Evidence, applied before the run (--no-evidence sets it aside):" : "Evidence, set aside (--no-evidence):"] + lines
    }
}

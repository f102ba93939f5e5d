import DXSampling

/// A scenario: organisations, the roles (occupations) that work in them, and
/// the services they deliver, broken into tasks — everything `dxmap map`
/// needs, as read from a schema-1 scenario file. See docs/reference/scenario-files.md.
public struct Scenario: Sendable {
    /// Schema version (`dxmap: 1`).
    public var schema: Int = 1
    /// Human-readable name, used in titles.
    public var name: String
    /// Currency code for labels (e.g. `EUR`); empty when the file gives none.
    public var currency: String = ""
    /// Years modelled, 1…horizon. Default 5.
    public var horizon: Int = 5
    /// The calendar year of year 1 (`start_year:`), which labels the years of charts; nil: years are counted 1…horizon.
    public var startYear: Int?
    /// Annual discount rate for NPV. Default 0.
    public var discountRate: Double = 0
    /// Factor loadings of the Gaussian copula on automation shares.
    public var correlation = Correlation()
    /// Organisations, roles and services, each with ids unique in their list.
    public var organisations: [Organisation]
    public var roles: [Role]
    public var services: [Service]
    /// Defaults for the risk–return matrix; CLI flags override them.
    public var matrix = MatrixSettings()
    /// How runs of this scenario draw (`sampling:`): sampler, generator, draw design; a command's flags override it.
    public var sampling = SamplingSettings()
    /// The people side, for `dxmap redeploy`; nil when the file has no `workforce:` section.
    public var workforce: Workforce?
    /// Redeployment policies to compare, the first being the baseline.
    public var policies: [RedeploymentPolicy] = []
    /// What delays or stops adoption, how barriers amplify each other, the routines that weaken them,
    /// and programmes of routines to compare (all optional; see ``Barrier``).
    public var barriers: [Barrier] = []
    public var interactions: [BarrierInteraction] = []
    public var routines: [Routine] = []
    public var programmes: [AdoptionProgramme] = []
    /// Observed pilot results (`evidence:`), already applied to the tasks' inputs: see ``appliedEvidence``.
    public var evidence: [Evidence] = []
    /// What each piece of evidence changed: per task, the input's prior and posterior (``withoutEvidence()`` undoes it).
    public var appliedEvidence: [AppliedEvidence] = []
    /// Pilots that could be run (`pilots:`), whose expected value `dxmap voi` estimates.
    public var pilots: [ProposedPilot] = []
    /// What the file says that is valid but probably not meant (say, an adoption year past the horizon),
    /// located like errors; the CLI prints them and goes on.
    public var warnings: [ScenarioIssue] = []

    /// Each role's annual cost per FTE, by id.
    public var costPerFTE: [String: Double] { Dictionary(roles.map { ($0.id, $0.costPerFTE) }, uniquingKeysWith: { a, _ in a }) }

    /// The ids of the roles some task names, in the order of ``roles``: the roles whose people automation can
    /// displace (the others employ no one in the map).
    public var rolesWithTasks: [String] {
        let named = Set(services.lazy.flatMap { $0.tasks.lazy.map(\.role) })
        return roles.map(\.id).filter(named.contains)
    }

    /// A scenario with schema defaults (horizon 5, no discounting, independence).
    public init(name: String, organisations: [Organisation], roles: [Role], services: [Service]) {
        self.name = name
        self.organisations = organisations
        self.roles = roles
        self.services = services
    }
}

/// Loadings of the one-factor-per-level Gaussian copula
/// `z_t = √global·Z + √role·Z_role(t) + √(1−global−role)·ε_t`.
public struct Correlation: Sendable, Equatable {
    /// Share of variance common to all tasks (technology progress in general).
    public var global: Double = 0
    /// Share of variance common to tasks of the same role.
    public var role: Double = 0

    public init(global: Double = 0, role: Double = 0) {
        self.global = global
        self.role = role
    }

    public var isIndependent: Bool { global == 0 && role == 0 }
}

/// An organisation that delivers services (a council, a ministry, a sector).
public struct Organisation: Sendable, Equatable {
    public var id: String
    public var name: String

    public init(id: String, name: String? = nil) {
        self.id = id
        self.name = name ?? id
    }
}

/// An occupation, with its annual cost per full-time equivalent and the
/// default automation share of its tasks.
public struct Role: Sendable, Equatable {
    public var id: String
    public var name: String
    /// Annual cost of one FTE, with on-costs.
    public var costPerFTE: Double
    /// Default automation share θ for tasks of this role.
    public var automation: Distribution?

    public init(id: String, name: String? = nil, costPerFTE: Double, automation: Distribution?) {
        self.id = id
        self.name = name ?? id
        self.costPerFTE = costPerFTE
        self.automation = automation
    }
}

/// A public service, delivered by one organisation and made of tasks.
public struct Service: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The organisation that delivers the service.
    public var organisation: String
    public var tasks: [ServiceTask]
    /// The service's whole annual cost (`output_cost:`), labour and everything else it spends: the value of its
    /// outputs, as a cost. Nil: not given (the output view of the matrix leaves the service out). A draw below the
    /// service's labour value, which it includes, counts as the labour value (the reader warns when that can happen).
    public var outputCost: Distribution?

    /// The service's annual labour value: Σ over its tasks of FTE × the role's cost per FTE (``Scenario/costPerFTE``).
    public func labourValue(costPerFTE cost: [String: Double]) -> Double {
        tasks.reduce(0) { $0 + $1.fte * (cost[$1.role] ?? 0) }
    }

    public init(id: String, name: String? = nil, organisation: String, tasks: [ServiceTask]) {
        self.id = id
        self.name = name ?? id
        self.organisation = organisation
        self.tasks = tasks
    }
}

/// One task of a service, performed by one role.
public struct ServiceTask: Sendable, Equatable {
    public var id: String
    public var name: String
    public var role: String
    /// Full-time equivalents spent on the task.
    public var fte: Double
    /// θ: share of the work that can be automated; nil means the role's default.
    public var automation: Distribution?
    /// ρ: share of the potential actually captured. Default 1.
    public var realisation: Distribution = .constant(1)
    /// One-off cost, paid in the adoption year. Default 0.
    public var implementationCost: Distribution = .constant(0)
    /// Cost per year from the adoption year on. Default 0.
    public var runningCost: Distribution = .constant(0)
    /// Year the automation starts (rounded to a whole year; beyond the horizon means not within it). Default 1.
    public var adoptionYear: Distribution = .constant(1)
    /// Organisations whose data the task needs (it meets their data-sharing barriers).
    public var dataFrom: [String] = []

    public init(id: String, name: String? = nil, role: String, fte: Double, automation: Distribution? = nil) {
        self.id = id
        self.name = name ?? id
        self.role = role
        self.fte = fte
        self.automation = automation
    }
}

/// Matrix defaults a scenario may set (`matrix:` section); what is not set falls back to ``default``.
public struct MatrixSettings: Sendable, Equatable {
    /// The level shown on the matrix (service, role or organisation).
    public var level: Level?
    public var view: MatrixView?
    /// The risk measure of the risk–return view.
    public var risk: RiskMeasure?
    /// Quadrant thresholds; nil entries default to 0.5 (probability) or the median across entities.
    public var thresholds = MatrixThresholds()

    public init(level: Level? = nil, view: MatrixView? = nil, risk: RiskMeasure? = nil, thresholds: MatrixThresholds = MatrixThresholds()) {
        (self.level, self.view, self.risk, self.thresholds) = (level, view, risk, thresholds)
    }

    /// What dxmap shows when neither the caller nor the scenario chooses: services, probability view, sd.
    public static let `default` = MatrixSettings(level: .service, view: .probability, risk: .sd)

    /// Each setting from `self`, else from `fallback` (a caller's choices over the scenario's, say).
    public func or(_ fallback: MatrixSettings) -> MatrixSettings {
        MatrixSettings(level: level ?? fallback.level, view: view ?? fallback.view, risk: risk ?? fallback.risk,
                       thresholds: thresholds.or(fallback.thresholds))
    }

    /// The level, view and risk measure to show: `self`'s choices, else ``default``'s.
    public var resolved: (level: Level, view: MatrixView, risk: RiskMeasure) {
        (level ?? Self.default.level!, view ?? Self.default.view!, risk ?? Self.default.risk!)
    }
}

extension Scenario {
    /// The automation share distribution of a task: its own, else its role's.
    public func automation(of task: ServiceTask) -> Distribution? {
        task.automation ?? roles.first { $0.id == task.role }?.automation
    }
}

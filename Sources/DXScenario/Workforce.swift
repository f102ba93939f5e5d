import DXSampling

/// The people side of a scenario (`workforce:` section): who works where,
/// how fast they leave, how similar roles are, what retraining exists, and
/// what redundancy and waiting cost. Used by `dxmap redeploy`.
public struct Workforce: Sendable, Equatable {
    /// Headcount per organisation and role; cells not listed default to the
    /// rounded sum of their tasks' FTE.
    public var headcount: [HeadcountEntry] = []
    /// Annual share of staff who leave (retirement and quits).
    public var attrition = RateTable(default: .constant(0))
    /// Annual share of staff by which posts grow (new vacancies). Default 0.
    public var growth = RateTable(default: .constant(0))
    /// Role-to-role similarity in [0, 1] (1 on the diagonal), from skills or given directly.
    public var similarity = RoleSimilarity.identity
    /// Similarity at or above which a displaced person can move to a vacancy directly. Default 0.7.
    public var redeployThreshold = 0.7
    /// Similarity at or above which retraining can bridge the gap (below the direct threshold). Default 0.4.
    public var retrainThreshold = 0.4
    /// Programmes that retrain displaced people for vacancies (see ``RetrainingProgramme``).
    public var retraining: [RetrainingProgramme] = []
    /// Redundancy cost in months of salary. Default 6.
    public var redundancyMonths = 6.0
    /// Longest time, in years, someone may wait in the redeployment pool (paid) before redundancy. Default 1.
    public var poolYears = 1
    /// What avoiding one redundancy is worth to the decision maker, in money, beyond the costs the model counts
    /// (`dxmap voi --decision policy` values a policy as its net saving plus this for each redundancy it avoids).
    /// Default 0: net saving alone.
    public var valuePerRedundancyAvoided = 0.0
    /// Who the people are, along the dimensions the scenario names (`composition:`; see ``CompositionDimension``):
    /// what the equality impact of each policy is reported by. Empty: no equality impact.
    public var composition: [CompositionDimension] = []

    /// A workforce with the defaults: no attrition or growth, identity similarity, thresholds 0.7 / 0.4,
    /// no retraining, 6 months' redundancy pay, one year in the pool.
    public init() {}
}

/// The people in one role at one organisation.
public struct HeadcountEntry: Sendable, Equatable {
    public var organisation: String
    public var role: String
    public var people: Int

    public init(organisation: String, role: String, people: Int) {
        (self.organisation, self.role, self.people) = (organisation, role, people)
    }
}

/// An annual rate with a default and overrides by role and by organisation
/// (a role's rate wins over its organisation's). Each may be a distribution,
/// drawn once per Monte Carlo draw.
public struct RateTable: Sendable, Equatable {
    /// The rate for cells with no override.
    public var `default`: Distribution
    public var roles: [String: Distribution] = [:]
    public var organisations: [String: Distribution] = [:]

    public init(default: Distribution, roles: [String: Distribution] = [:], organisations: [String: Distribution] = [:]) {
        self.default = `default`
        self.roles = roles
        self.organisations = organisations
    }

    /// The rate of a role at an organisation.
    public func rate(organisation: String, role: String) -> Distribution {
        roles[role] ?? organisations[organisation] ?? self.default
    }
}

/// How alike two roles' skills are.
public enum RoleSimilarity: Sendable, Equatable {
    /// Only a role is similar to itself.
    case identity
    /// Cosine similarity of non-negative skill vectors over named dimensions.
    case skills(dimensions: [String], vectors: [String: [Double]])
    /// Given pairs (symmetric); pairs not given are 0.
    case matrix([String: [String: Double]])

    /// Similarity of two roles in [0, 1].
    public func between(_ a: String, _ b: String) -> Double {
        if a == b { return 1 }
        switch self {
        case .identity: return 0
        case let .skills(_, vectors):
            guard let x = vectors[a], let y = vectors[b] else { return 0 }
            let dot = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
            let norm = (x.reduce(0) { $0 + $1 * $1 } * y.reduce(0) { $0 + $1 * $1 }).squareRoot()
            return norm > 0 ? min(1, dot / norm) : 0
        case let .matrix(pairs):
            return pairs[a]?[b] ?? pairs[b]?[a] ?? 0
        }
    }
}

/// A retraining programme that prepares displaced people for vacancies in some roles.
public struct RetrainingProgramme: Sendable, Equatable {
    public var id: String
    /// Destination roles it trains for; empty means any role.
    public var roles: [String]
    /// Cost per trainee, paid when training starts.
    public var cost: Double
    /// Length in whole years; trainees are paid throughout.
    public var years: Int
    /// Probability that a trainee completes and takes the post.
    public var success: Double
    /// Trainees it can take per year.
    public var places: Int

    public init(id: String, roles: [String] = [], cost: Double, years: Int, success: Double, places: Int) {
        (self.id, self.roles, self.cost, self.years, self.success, self.places) = (id, roles, cost, years, success, places)
    }

    /// Whether the programme trains for `role`.
    public func covers(role: String) -> Bool { roles.isEmpty || roles.contains(role) }
}

/// A redeployment policy: which routes out of the pool are open, with what budget.
public struct RedeploymentPolicy: Sendable, Equatable {
    public var id: String
    public var name: String
    /// Move displaced people to vacancies in other roles of their own organisation.
    public var internalRedeployment = false
    /// Share one pool across all organisations of the scenario.
    public var crossOrganisationPool = false
    /// Retrain people for vacancies whose roles are similar enough to bridge.
    public var retraining = false
    /// Annual retraining budget; nil means limited by places only.
    public var retrainingBudget: Double?
    /// Keep unfilled vacancies open (no external hiring) so the pool can fill them in later years.
    public var hiringFreeze = false
    /// Overrides the workforce's pool limit for this policy.
    public var poolYears: Int?

    public init(id: String, name: String? = nil) {
        self.id = id
        self.name = name ?? id
    }
}

/// Where a displaced person in one role can go: straight to a vacancy in a role alike enough (similarity at or above
/// the redeploy threshold), or through a retraining programme to one within the retraining band (at or above the
/// retrain threshold, below the redeploy one) that the programme trains for.
public struct WorkforceRoute: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case direct
        /// The programmes that train for the destination.
        case retraining([String])
    }

    public var from: String
    public var to: String
    public var similarity: Double
    public var kind: Kind
}

extension Workforce {
    /// Every route out of the roles in `from` (the roles whose work is automated) into the other roles in `to`, in
    /// the order of `from`, then of `to`: direct moves, and retraining where a programme covers the destination.
    public func routes(from sources: [String], to destinations: [String]) -> [WorkforceRoute] {
        sources.flatMap { s in
            destinations.compactMap { d -> WorkforceRoute? in
                guard s != d else { return nil }
                let sim = similarity.between(s, d)
                if sim >= redeployThreshold { return WorkforceRoute(from: s, to: d, similarity: sim, kind: .direct) }
                guard sim >= retrainThreshold else { return nil }
                let programmes = retraining.filter { $0.covers(role: d) }.map(\.id)
                return programmes.isEmpty ? nil : WorkforceRoute(from: s, to: d, similarity: sim, kind: .retraining(programmes))
            }
        }
    }

    /// The programmes no route uses: no role in `from` is within the retraining band of any role they train for.
    public func idleProgrammes(from sources: [String], to destinations: [String]) -> [RetrainingProgramme] {
        let used = Set(routes(from: sources, to: destinations).flatMap { r -> [String] in
            if case let .retraining(ids) = r.kind { ids } else { [] }
        })
        return retraining.filter { !used.contains($0.id) }
    }
}

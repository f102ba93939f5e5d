import DXSampling

/// What delays or stops adoption: a named barrier, where it applies, how
/// likely it is, and what it does when present (`barriers:` section).
///
/// A barrier is present or not per draw and per organisation: with
/// probability ``presence`` at each organisation in its scope. A task meets
/// it when it is present at the task's organisation — or, for a
/// ``Scope/dataSharing`` barrier, at any organisation the task needs data
/// from (they are the ones resisting to share).
public struct Barrier: Sendable, Equatable {
    public enum Scope: Sendable, Equatable {
        /// Every task.
        case all
        /// Tasks that list `data_from` organisations.
        case dataSharing
        /// Tasks of one organisation's services.
        case organisation(String)
        /// Tasks of one service.
        case service(String)
    }

    public var id: String
    public var name: String
    public var scope: Scope
    /// Probability the barrier is present at an organisation (a distribution: drawn once per draw).
    public var presence: Distribution
    /// Years added to the adoption year when present. Default 0.
    public var delay: Distribution = .constant(0)
    /// Multiplier on realisation when present, in [0, 1]. Default 1.
    public var realisation: Distribution = .constant(1)
    /// Probability that adoption fails within the horizon when present. Default 0.
    public var failure: Distribution = .constant(0)

    public init(id: String, name: String? = nil, scope: Scope, presence: Distribution) {
        self.id = id
        self.name = name ?? id
        self.scope = scope
        self.presence = presence
    }
}

/// Barriers that amplify each other: when all are present for a task, each one's delay is multiplied by `delayFactor`.
public struct BarrierInteraction: Sendable, Equatable {
    public var barriers: [String]
    public var delayFactor: Double

    public init(barriers: [String], delayFactor: Double) {
        self.barriers = barriers
        self.delayFactor = delayFactor
    }
}

/// An organisational routine that weakens barriers at the organisations that run it, at a cost.
public struct Routine: Sendable, Equatable {
    /// How a routine changes one barrier: multipliers on its presence probability and on each effect
    /// (on the delay, on the realisation *loss* 1 − r, and on the failure probability). 1 leaves it as it is.
    public struct Effect: Sendable, Equatable {
        public var barrier: String
        public var presence = 1.0
        public var delay = 1.0
        public var realisationLoss = 1.0
        public var failure = 1.0

        public init(barrier: String) { self.barrier = barrier }
    }

    public var id: String
    public var name: String
    /// Cost per year, per organisation that runs it, over the horizon.
    public var annualCost: Double = 0
    /// One-off cost per organisation that runs it, at the start.
    public var oneOffCost: Double = 0
    /// Organisations that run it; empty means all.
    public var organisations: [String] = []
    public var effects: [Effect] = []

    public init(id: String, name: String? = nil) {
        self.id = id
        self.name = name ?? id
    }
}

/// A named combination of routines to compare (`programmes:` section), like redeployment policies.
public struct AdoptionProgramme: Sendable, Equatable {
    public var id: String
    public var name: String
    public var routines: [String]

    public init(id: String, name: String? = nil, routines: [String]) {
        self.id = id
        self.name = name ?? id
        self.routines = routines
    }
}

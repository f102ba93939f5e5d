import DXSampling
import DXScenario

/// What every run's result says about the run itself: the scenario it ran, the settings as the engine resolved
/// them, and what the run took. Filled once, where the engine finishes, and carried by every result (mapping,
/// redeployment, adoption, value of information), so that a result's files and reports describe the run from one
/// place and cannot disagree with it; run.json (`RunRecord` in DXReport) adds where the scenario came from and the
/// command line.
public struct RunInfo: Sendable, Equatable {
    /// The scenario's `name`.
    public var scenarioName: String
    /// The scenario's currency, the unit of every money value in the run (empty if the scenario names none).
    public var currency: String
    /// Years simulated, and over which NPVs are computed.
    public var horizon: Int
    /// The calendar year of year 1 (the scenario's `start_year`), or nil.
    public var startYear: Int?
    /// The annual rate every present value is discounted at (the scenario's `discount_rate`).
    public var discountRate: Double
    /// Draws the statistics are over.
    public var draws: Int
    /// Master seed: chunk k draws from stream (seed, k).
    public var seed: UInt64
    /// The sampling in force, every field resolved: sampler, generator, draw design and replicates.
    public var sampling: SamplingSettings
    /// Draws per chunk (``MonteCarloSettings/chunkSize``), which decides the streams.
    public var chunkSize: Int
    /// Threads actually used (at most one per chunk); results do not depend on them.
    public var threadsUsed: Int
    /// Seconds from start to merged result.
    public var wallTime: Double

    /// The generator the uniforms came from.
    public var generator: RandomStream.Generator { sampling.resolvedGenerator }
    /// How the inputs were drawn from the uniforms.
    public var sampler: Sampler.Method { sampling.resolvedSampler }
    /// How the draws covered the inputs; with a design, every mean's standard error is its replicates'.
    public var design: DrawDesign { sampling.resolvedDesign }

    /// Year `y` of the horizon as charts label it: the calendar year with `start_year`, else the year's number.
    public func yearLabel(_ y: Int) -> String { startYear.map { "\($0 + y - 1)" } ?? "\(y)" }

    /// What the year axis is called: "year" (1…horizon) or "calendar year".
    public var yearAxisTitle: String { startYear == nil ? "year" : "calendar year" }

    /// The header of a run of `scenario` with `settings` as the engine resolved them
    /// (``MonteCarloSettings/resolved(for:)``).
    public init(scenario: Scenario, settings: MonteCarloSettings, threadsUsed: Int, wallTime: Double) {
        scenarioName = scenario.name
        currency = scenario.currency
        horizon = scenario.horizon
        startYear = scenario.startYear
        discountRate = scenario.discountRate
        draws = settings.draws
        seed = settings.seed
        sampling = settings.sampling
        chunkSize = settings.chunkSize
        self.threadsUsed = threadsUsed
        self.wallTime = wallTime
    }
}

import DXScenario
import DXSampling
import Foundation

/// One metric of one entity, by level and id: what a run may be asked to summarise.
public struct MetricKey: Sendable, Hashable {
    public var level: Level
    public var id: String
    public var metric: Metric
    public init(_ level: Level, _ id: String, _ metric: Metric) { (self.level, self.id, self.metric) = (level, id, metric) }
}

/// How a mapping run is done: the common Monte Carlo settings, matrix thresholds and an adoption programme.
public struct MappingOptions: MonteCarloOptions {
    /// Draws per chunk of a long run (and of every `gsl-direct` run): each chunk has its own random stream
    /// `(seed, chunk index)`. Part of the reproducibility contract; changing it changes results. Short runs by inversion
    /// use smaller chunks (``MonteCarloSettings/chunkSize``).
    public static let chunkSize = 1024

    public var common: MonteCarloSettings
    /// Matrix thresholds; nil entries take the scenario's, then the defaults.
    public var thresholds = MatrixThresholds()
    /// With `barriers:`, the adoption programme whose routines run (its id); nil runs the barriers with no routines.
    public var programme: String?
    /// The quantities whose distributions the run summarises (moments and percentiles); nil summarises every
    /// metric of every entity, as `dxmap map` writes them. A sweep point names only its outputs: the other series
    /// are drawn (the matrix's tallies and the summarised totals need them) but not summarised, which is most
    /// of a small scenario's cost. An unsummarised metric's summary has count 0 and NaN statistics, and such a run
    /// does not place draws in the matrix's quadrants (its matrix has NaN quadrant probabilities).
    public var summarised: Set<MetricKey>?
    /// The levels whose summaries have percentiles and CVaR, which take a quantile sketch per series (about 60
    /// instructions per value, against 24 for the exact moments); at the other levels a summary has the exact mean, sd and P(loss), and NaN
    /// percentiles and CVaR (exact ones when the quantity never varies). Every level by default; `dxmap map`
    /// leaves out tasks, which are most of a large scenario's series, unless given `--task-percentiles`.
    public var percentileLevels = Set(Level.allCases)

    /// Whether the run keeps every draw's inputs and NPVs (``MappingResult/drawTable``) for the value of information:
    /// each task's five inputs, each barrier's presence, and the NPV of every service, role, organisation and the
    /// total. Off by default: a row per draw costs memory that a map does not need.
    public var recordsDraws = false
    /// With ``recordsDraws``, whether the record also holds each task's inputs and each barrier's presence (true), or
    /// the entities' NPVs alone (false: what comparing two runs draw by draw needs, a column per entity).
    public var recordsInputs = true

    /// Whether the run places draws in the matrix's quadrants: only when it summarises everything.
    var countsQuadrants: Bool { summarised == nil }

    /// Options with the given draws, seed and threads, default thresholds and no progress callback.
    public init(draws: Int = 10_000, seed: UInt64 = DXMapDefaults.seed,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        common = MonteCarloSettings(draws: draws, seed: seed, threads: threads)
    }
}

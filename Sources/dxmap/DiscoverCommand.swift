import ArgumentParser
import DXAnalysis
import DXExperiments
import DXReport
import Foundation

struct DiscoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Find the futures in which an output goes bad: PRIM boxes on a sweep's results.",
        discussion: """
        A future (point) is bad when the output's mean over draws is above (--above) or below (--below) the \
        threshold. PRIM (the EMA Workbench's peeling and pasting rules) peels the parameter space towards the \
        bad points, keeps the peeling trajectory (coverage against density), chooses the densest box that \
        still covers --min-coverage of the bad points, pastes it back where that raises the density, drops \
        every limit that no longer excludes a point, and gives each limit a quasi-p-value (the chance of so \
        many bad futures in the box without that limit: small means it matters). Writes DIR/boxes.csv (the whole \
        trajectory), DIR/prim.svg and DIR/report.html. --box N reports box N of the trajectory instead, as it \
        stands there; --boxes 2 then looks for a second box among the futures the first leaves (the EMA \
        Workbench's covering). Parameters the sweep file marks kind: lever are named as levers. A threshold that \
        no point, or every point, crosses is refused with the output's range.

        Example:
          dxmap sweep Scenarios/sweeps/discover-redeployment.yaml --db d.sqlite
          dxmap discover d.sqlite --output redeploy.shared-pool.redundant --above 250 --out out/discover
          dxmap discover d.sqlite --output redeploy.shared-pool.redundant --above 250 --box 12 --boxes 2 --out out/two
        """
    )

    @Argument(help: "Results database of a sweep (or of a sensitivity study).")
    var database: String

    @Option(help: "The output that goes bad.")
    var output: String

    @Option(parsing: .unconditional, help: "Bad means the output is above this value.")
    var above: Double?

    @Option(parsing: .unconditional, help: "Bad means the output is below this value.")
    var below: Double?

    @Option(parsing: .unconditional, help: "Directory for boxes.csv and prim.svg.")
    var out: String = "out"

    @Option(parsing: .unconditional, help: "Share of the box's points removed by each peel.")
    var peelAlpha: Double = 0.05

    @Option(parsing: .unconditional, help: "Smallest share of all points a box may keep.")
    var minMass: Double = 0.05

    @Option(parsing: .unconditional, help: "The chosen box is the densest whose coverage is at least this.")
    var minCoverage: Double = 0.5

    @Option(help: "How peels are scored: lenient1 (the EMA Workbench's default), lenient2 or original.")
    var objective: PRIM.Objective = .lenient1

    @Option(parsing: .singleValue, help: ArgumentHelp("""
        Report box N of the peeling trajectory (0 = every point) instead of PRIM's choice; repeat for each box of --boxes.
        """, valueName: "N"))
    var box: [Int] = []

    @Option(parsing: .unconditional, help: "How many boxes to find: each further one among the futures no earlier box holds.")
    var boxes: Int = 1

    func validate() throws {
        guard (above == nil) != (below == nil) else { throw ValidationError("give exactly one of --above T or --below T") }
        if let t = above ?? below, !t.isFinite { throw ValidationError("the threshold must be a number") }
        guard peelAlpha > 0, peelAlpha < 0.5 else { throw ValidationError("--peel-alpha must be in (0, 0.5), found \(peelAlpha)") }
        guard minMass > 0, minMass < 1 else { throw ValidationError("--min-mass must be in (0, 1), found \(minMass)") }
        guard (0...1).contains(minCoverage) else { throw ValidationError("--min-coverage must be in [0, 1], found \(minCoverage)") }
        if out.isEmpty { throw ValidationError("--out needs a directory path, found an empty one") }
        guard (1...10).contains(boxes) else { throw ValidationError("--boxes must be from 1 to 10, found \(boxes)") }
        if let n = box.first(where: { $0 < 0 }) { throw ValidationError("--box must be a box of the trajectory, 0 or more, found \(n)") }
        if box.count > boxes {
            throw ValidationError("--box given \(box.count) times for \(boxes) box\(boxes == 1 ? "" : "es"); give --boxes \(box.count), or fewer --box")
        }
    }

    func run() throws {
        try reportingErrors {
            let store = try SweepStore(existing: database)
            if let problem = try ScenarioDiscovery.unknownOutput(output, in: store) {
                throw ValidationError("--output: \(database): \(problem)")
            }
            var options = PRIM.Options()
            options.peelAlpha = peelAlpha
            options.minimumMass = minMass
            options.minimumCoverage = minCoverage
            options.objective = objective
            let side: ScenarioDiscovery.Side = above.map { .above($0) } ?? .below(below!)
            let started = Date()
            let found = try ScenarioDiscovery.run(store: store, output: output, side: side, options: options, boxes: boxes,
                                                  trajectoryBoxes: box)
            let record = try StudyRecord(command: "discover", arguments: Array(CommandLine.arguments.dropFirst()), store: store,
                                         wallTime: Date().timeIntervalSince(started))
            try emit(DiscoveryOutput(discovery: found, source: database, record: record), out: out)
        }
    }
}

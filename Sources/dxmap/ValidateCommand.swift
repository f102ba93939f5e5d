import ArgumentParser
import DXSampling
import DXScenario
import DXExperiments
import DXReport
import DXSupport
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario or sweep file without running it.",
        discussion: """
        Reports every problem with its file:line:column and field path, and exits with status 65 if there is any. \
        A sweep file (dxmap-sweep: 1) is checked whole: its own fields, its base scenario, every point of its \
        design (each patched scenario validated, a bad point blamed on the parameter that makes it invalid; a design \
        of more than 10,000 points on 10,000 points spread evenly over it) and its outputs; then 8 points spread over \
        the design are run at up to 200 draws, and a sweep whose points all fail is an error. A sweep without a \
        design (for dxmap sensitivity) is checked at the corners of its parameters' ranges. Warnings (valid, but \
        probably not meant) are printed and do not fail.

        Examples:
          dxmap validate Scenarios/italian-pa.yaml
          dxmap validate Scenarios/sweeps/discover-redeployment.yaml
        """
    )

    @Argument(help: "Scenario file (YAML or JSON) or sweep file (dxmap-sweep: 1); - reads standard input.")
    var file: String

    func run() throws {
        try reportingErrors {
            let data = try ScenarioLoader.read(path: file)
            if SweepLoader.isSweep(data) { try validateSweep(data) } else { try validateScenario(data) }
        }
    }

    func validateScenario(_ data: Data) throws {
        let s = try ScenarioLoader.parse(data, file: file)
        printWarnings(s)
        try printOut("\(file): valid (schema 1): \(describe(s))")
        if let evidence = EvidenceRecord.list(s, applied: true) { try printOut("\n" + EvidenceRecord.table(evidence, width: terminalStyle().columns).joined(separator: "\n")) }
        if let w = s.workforce { try printOut("\n" + WorkforceRoutes.lines(s, w, width: terminalStyle().columns).joined(separator: "\n")) }
    }



    /// Runs a few points spread over the design at a few draws, for what only running shows: every one failing is an
    /// error (the sweep would exit 70 having run them all), some failing a warning. Returns what it did, in words.
    func runTrial(_ plan: SweepPlan, outputs: [SweepOutput]) throws -> String {
        let points = SweepLoader.validationSample(pointCount: plan.pointCount, limit: Self.trialPoints)
        let draws = min(plan.definition.draws, Self.trialDraws)
        let failed = try SweepExecution.trial(plan, outputs: outputs, points: points, draws: draws).compactMap { p, failure in
            failure.map { (p, $0) }
        }
        let tried = "\(NumberFormatting.counted(points.count, "point")) run at \(NumberFormatting.counted(draws, "draw"))"
        guard let (first, reason) = failed.first else { return tried }
        if failed.count == points.count {
            throw DataError(path: file, message: """
                every one of the \(tried) fails, so the sweep would give no results; point \(first): \(reason)
                """)
        }
        printError("\(file): warning: \(failed.count) of the \(tried) fail (the sweep records them as failed); point \(first): \(reason)")
        return tried + ", \(failed.count) failing"
    }

    /// How many points `validate` runs, and at most how many draws each.
    static let trialPoints = 8, trialDraws = 200

    func describe(_ s: Scenario) -> String {
        let tasks = s.services.reduce(0) { $0 + $1.tasks.count }
        let labour = s.services.flatMap(\.tasks).reduce(0.0) { total, t in
            total + t.fte * (s.roles.first { $0.id == t.role }?.costPerFTE ?? 0)
        }
        let count = NumberFormatting.counted
        return "\"\(s.name)\": \(count(s.organisations.count, "organisation", nil)), \(count(s.roles.count, "role", nil)), "
            + "\(count(s.services.count, "service", nil)), \(count(tasks, "task", nil)); annual labour value \(NumberFormatting.compact(labour)) \(s.currency)"
            + (s.workforce == nil ? "" : "; a workforce and \(NumberFormatting.counted(s.policies.count, "policy", plural: "policies"))")
            + (s.barriers.isEmpty ? "" : """
                ; \(s.barriers.count) adoption barriers, \(s.routines.count) routines, \(s.programmes.count) programmes
                """)
    }

    func validateSweep(_ data: Data) throws {
        let definition = try SweepLoader.definition(path: file, data: data)
        let plan = try SweepLoader.load(path: file, data: data, design: definition.design == nil ? .corners : nil)
        printWarnings(plan)
        let outputs = try SweepOutput.resolve(plan.definition, base: plan.base)
        let progress = ProgressBar(label: "validating", unit: "points")
        let sample = SweepLoader.validationSample(pointCount: plan.pointCount)
        try SweepLoader.checkEveryPoint(plan, points: sample) { progress.update($0, $1) }
        progress.finish()
        let trial = try runTrial(plan, outputs: outputs)
        let k = plan.definition.parameters.count
        let design: String
        let points = plan.crossesLevers
            ? "\(NumberFormatting.grouped(plan.futureCount)) futures × \(NumberFormatting.counted(plan.leverCombinations, "combination")) of the " +
                "levers (\(plan.definition.levers.map(\.name).joined(separator: ", "))) = \(NumberFormatting.grouped(plan.pointCount)) points"
            : "\(NumberFormatting.grouped(plan.pointCount)) points"
        switch plan.definition.design {
        case .grid?: design = "a grid of \(points)"
        case .latinHypercube?: design = "a Latin hypercube of \(points)"
        case .sobol?: design = "a Sobol design of \(points)"
        case .morris?: design = "Morris trajectories, \(points)"
        case .list?: design = "a list of \(points)"
        case nil: design = """
            no design of its own (dxmap sensitivity builds one); \(plan.pointCount) corner points of the \(k) parameters' ranges checked
            """
        }
        let checked = sample.count == plan.pointCount ? "every point's scenario valid" : """
            the scenarios of \(NumberFormatting.grouped(sample.count)) points spread evenly over the design valid (a design of \
            more than \(NumberFormatting.grouped(SweepLoader.validationLimit)) points is checked on a sample; the sweep checks \
            every point as it runs it)
            """
        try printOut("\(file): valid (sweep schema 1): \(NumberFormatting.counted(k, "parameter")), \(design), \(checked); "
              + "\(trial); \(NumberFormatting.counted(outputs.count, "output")) from \(plan.definition.outputs.count) written; "
              + "\(NumberFormatting.counted(plan.definition.draws, "draw")) a point")
        try printOut("base scenario \(plan.definition.scenarioPath): \(describe(plan.base))")
    }
}

import ArgumentParser
import DXSampling
import DXScenario
import DXExperiments
import DXReport
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario or sweep file without running it.",
        discussion: """
        Reports every problem with its file:line:column and field path, and exits with status 65 if there is any. \
        A sweep file (dxmap-sweep: 1) is checked whole: its own fields, its base scenario, every point of its \
        design (each patched scenario validated, a bad point blamed on the parameter that makes it invalid) and \
        its outputs. A sweep without a design (for dxmap sensitivity) is checked at the corners of its \
        parameters' ranges. Warnings (valid, but probably not meant) are printed and do not fail.

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
        if let evidence = EvidenceRecord.list(s, applied: true) { try printOut("\n" + EvidenceRecord.table(evidence).joined(separator: "\n")) }
    }


    func describe(_ s: Scenario) -> String {
        let tasks = s.services.reduce(0) { $0 + $1.tasks.count }
        let labour = s.services.flatMap(\.tasks).reduce(0.0) { total, t in
            total + t.fte * (s.roles.first { $0.id == t.role }?.costPerFTE ?? 0)
        }
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "\"\(s.name)\": \(count(s.organisations.count, "organisation")), \(count(s.roles.count, "role")), "
            + "\(count(s.services.count, "service")), \(count(tasks, "task")); annual labour value \(NumberFormatting.compact(labour)) \(s.currency)"
            + (s.workforce == nil ? "" : "; a workforce and \(s.policies.count) policies")
            + (s.barriers.isEmpty ? "" : """
                ; \(s.barriers.count) adoption barriers, \(s.routines.count) routines, \(s.programmes.count) programmes
                """)
    }

    func validateSweep(_ data: Data) throws {
        let definition = try SweepLoader.definition(path: file, data: data)
        let plan = try SweepLoader.load(path: file, data: data, design: definition.design == nil ? .corners : nil)
        printWarnings(plan.base)
        let outputs = try SweepOutput.resolve(plan.definition, base: plan.base)
        let progress = ProgressBar(label: "validating", unit: "points")
        try SweepLoader.checkEveryPoint(plan) { progress.update($0, $1) }
        progress.finish()
        let k = plan.definition.parameters.count
        let design: String
        switch plan.definition.design {
        case .grid?: design = "a grid of \(plan.pointCount) points"
        case .latinHypercube?: design = "a Latin hypercube of \(plan.pointCount) points"
        case .sobol?: design = "\(plan.pointCount) Sobol points"
        case .morris?: design = "Morris trajectories, \(plan.pointCount) points"
        case .list?: design = "a list of \(plan.pointCount) points"
        case nil: design = """
            no design of its own (dxmap sensitivity builds one); \(plan.pointCount) corner points of the \(k) parameters' ranges checked
            """
        }
        try printOut("\(file): valid (sweep schema 1): \(k) parameters, \(design), every point's scenario valid; "
              + "\(outputs.count) outputs from \(plan.definition.outputs.count) written; \(plan.definition.draws) draws a point")
        try printOut("base scenario \(plan.definition.scenarioPath): \(describe(plan.base))")
    }
}

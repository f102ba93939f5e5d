import ArgumentParser
import DXScenario
import DXEngine
import DXReport
import Foundation

struct RedeployCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redeploy",
        abstract: "Simulate, year by year, what happens to the people whose work is automated, under each policy.",
        discussion: """
        Displacement arrives in each task's adoption year; attrition absorbs it first; the rest wait in a \
        redeployment pool and are matched optimally to vacancies in similar roles (inside their organisation, \
        across organisations where the policy shares the pool, or after retraining) until the pool limit, \
        then made redundant. All policies run on the same random draws (common random numbers), so \
        their differences carry far less sampling noise than independent runs would (for the bundled county \
        workforce, the variance of a difference is 1–31% of theirs). The first policy is the baseline: each \
        other policy is compared with it on redundancies and net saving across futures (the share of draws in \
        which it is better, the 5th to 95th percentile of the difference) and by its mean difference, with the \
        95% interval of that mean.

        With a workforce composition: (groups by sex, age, …), "Who bears it" follows: each group's share of the \
        staff, of those displaced and of those made redundant, with its rate against the rest of the workforce.

        With --out DIR it writes DIR/redeploy.csv, DIR/policies.csv, DIR/redeploy.svg, DIR/report.html and \
        DIR/run.json, and with a composition DIR/equality.csv and DIR/equality.svg.

        Example:
          dxmap redeploy Scenarios/county-councils-workforce.yaml --out out/
          dxmap redeploy Scenarios/county-councils-workforce.yaml --policy redundancy-only --policy shared-pool
        """
    )

    @OptionGroup var common: RunOptions

    @Option(name: .customLong("policy"), help: "A policy to compare, by id; repeat for several (the first is the baseline). Default: all.")
    var policies: [String] = []

    @Option(help: "With barriers: the adoption programme whose routines run (default: barriers with no routines).")
    var programme: String?

    func run() throws {
        let scenarioPath = common.scenario
        try reportingErrors {
            let input = try common.load()
            let (bytes, scenario) = (input.bytes, input.scenario)
            var options = RedeploymentOptions()
            options.policies = policies.isEmpty ? nil : policies
            options.programme = programme
            let result = try common.running("redeploying", options) { try RedeploymentEngine.run(scenario, options: $0) }

            var record = RunRecord(command: "redeploy", scenarioPath: scenarioPath, scenarioBytes: bytes, run: result.run,
                                   evidence: input.evidence, details: .redeployment(policies: result.policies.map(\.id), programme: programme))
            record.target = common.target
            try emit(RedeploymentOutput(result: result, record: record), common)
        }
    }
}

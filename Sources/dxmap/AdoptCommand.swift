import ArgumentParser
import DXScenario
import DXEngine
import DXReport
import Foundation

struct AdoptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adopt",
        abstract: "Compare adoption programmes: what routines against adoption barriers are worth.",
        discussion: """
        Every draw samples the tasks once and applies the scenario's barriers under each programme, on the \
        same random numbers, so a programme's difference from the baseline (the first) is its effect with far \
        less sampling noise than independent runs would give. For each programme: the share of work adopted \
        within the horizon, the delay barriers add, NPV, the present value of its routines' costs, net value \
        (NPV − routine cost) and its return per unit of extra routine cost; against the baseline, its net value \
        across futures (the share of draws in which it is better, the 5th to 95th percentile of the difference) \
        and its mean gain, with the 95% interval of that mean.

        With --out DIR it writes DIR/programmes.csv \
        (programme,level,id,metric,mean,sd,p5,p50,p95,mean_difference,mean_difference_ci_low, \
        mean_difference_ci_high,difference_p5,difference_p95,p_better,p_worse,p_tied), DIR/adoption.svg \
        (per service, the share adopted by each year under the baseline and the best programme) and DIR/run.json. \
        --format csv prints programmes.csv; --format json prints the run record and every programmes.csv row.

        Example:
          dxmap adopt Scenarios/catalyst.yaml --out out/catalyst
        """
    )

    @OptionGroup var common: RunOptions

    @Option(name: .customLong("programme"), help: """
        A programme to compare, by id; repeat for several (the first is the baseline). Default: all.
        """)
    var programmes: [String] = []

    func run() throws {
        try reportingErrors {
            let input = try common.load()
            let (bytes, scenario) = (input.bytes, input.scenario)
            var options = AdoptionOptions()
            options.programmes = programmes.isEmpty ? nil : programmes
            let result = try common.running("adoption", options) { try AdoptionEngine.run(scenario, options: $0) }
            var record = RunRecord(command: "adopt", scenarioPath: common.scenario, scenarioBytes: bytes, run: result.run,
                                   evidence: input.evidence, details: .adoption(programmes: result.programmes.map(\.id)))
            record.target = common.target
            try emit(AdoptionOutput(result: result, record: record), common)
        }
    }
}

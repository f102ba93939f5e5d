// The Sobol' example of docs/guide/sweeps.md ("As a library"), with `import DXAnalysis` alone.
// DocumentationTests checks the guide shows exactly the code between the markers; the test below runs it and
// holds its indices to Ishigami's closed form.
import DXAnalysis
import Foundation
import XCTest

func sensitivityAPIExample() -> SobolIndices.Result {
    // doc begin
    let problem = SensitivityProblem(names: ["x1", "x2", "x3"], bounds: Array(repeating: (-Double.pi, Double.pi), count: 3))
    let design = SobolIndices.sample(dimensions: 3, baseRows: 1 << 13)!
    let y = problem.evaluate(design.points) { x in sin(x[0]) + 7 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0]) }
    let indices = SobolIndices.analyze(design, outputs: y)   // NaN outputs: their rows are left out and counted
    print(indices.firstOrder.map(\.value), indices.total.map { ($0.low, $0.high) })
    // MorrisScreening.sample/analyze, OneAtATimeSwing.sample/analyze, PRIM.run(columns:interesting:) likewise.
    // doc end
    return indices
}

final class SensitivityAPIExampleTests: XCTestCase {
    /// The guide's example, run as written: its first-order and total indices lie within four standard errors
    /// (the bootstrap interval's half-width / 1.96) of Ishigami's closed form.
    func testTheGuidesSobolExampleFindsIshigamisIndices() {
        let indices = sensitivityAPIExample()
        for (estimates, exact) in [(indices.firstOrder, ReferenceFunctions.ishigamiFirst), (indices.total, ReferenceFunctions.ishigamiTotal)] {
            for (estimate, value) in zip(estimates, exact) {
                let se = max((estimate.high - estimate.low) / (2 * 1.96), 1e-3)
                XCTAssertEqual(estimate.value, value, accuracy: 4 * se)
            }
        }
        XCTAssertEqual(indices.completeRows, 1 << 13)
    }
}

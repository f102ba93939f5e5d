// dxmap's Sobol sampler and estimators on reference functions with known indices, for
// Benchmarks/compare_sensitivity.py, which runs SALib on the same functions beside it.
// Prints one JSON document: for Ishigami and Sobol G at 1,024 rows, the plain design's indices and,
// for Owen-scrambled designs (seeds 1…N), each seed's largest absolute error over S1 and ST; for a
// linear function, ST/true at 128 and 1,024 rows; and the time taken by sample + evaluate + analyze.
//
// Usage: SobolReference [SEEDS]
import DXMap
import Foundation

let seeds = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 64 : 64

struct Reference {
    let name: String
    let problem: SensitivityProblem
    let model: ([Double]) -> Double
    let first: [Double]
    let total: [Double]
}

let pi = Double.pi
let ishigamiV = 49.0 / 8 + 0.1 * pow(pi, 4) / 5 + 0.01 * pow(pi, 8) / 18 + 0.5
let v1 = 0.5 * pow(1 + 0.1 * pow(pi, 4) / 5, 2), v2 = 49.0 / 8, v13 = 0.01 * pow(pi, 8) * (1.0 / 18 - 1.0 / 50)
let ga = [78.0, 12, 0.5, 2, 97, 33]
let gv = ga.map { 1 / (3 * (1 + $0) * (1 + $0)) }
let gV = gv.reduce(1) { $0 * (1 + $1) } - 1
let references = [
    Reference(name: "ishigami", problem: SensitivityProblem(names: ["x1", "x2", "x3"], bounds: Array(repeating: (-pi, pi), count: 3)),
              model: { x in sin(x[0]) + 7 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0]) },
              first: [v1 / ishigamiV, v2 / ishigamiV, 0], total: [(v1 + v13) / ishigamiV, v2 / ishigamiV, v13 / ishigamiV]),
    Reference(name: "sobol_g", problem: SensitivityProblem(names: (1...6).map { "x\($0)" }, bounds: Array(repeating: (0, 1), count: 6)),
              model: { x in zip(x, ga).reduce(1) { $0 * (abs(4 * $1.0 - 2) + $1.1) / (1 + $1.1) } },
              first: gv.map { $0 / gV },
              total: gv.indices.map { i in gv[i] * gv.indices.filter { $0 != i }.reduce(1) { $0 * (1 + gv[$1]) } / gV }),
]

func indices(_ r: Reference, rows: Int, scramble: UInt64?) -> SobolIndices.Result {
    let design = SobolIndices.sample(dimensions: r.problem.dimensions, baseRows: rows, scramble: scramble)!
    return SobolIndices.analyze(design, outputs: r.problem.evaluate(design.points, r.model), resamples: 0)
}

func largestError(_ r: Reference, _ result: SobolIndices.Result) -> Double {
    r.first.indices.map { max(abs(result.firstOrder[$0].value - r.first[$0]), abs(result.total[$0].value - r.total[$0])) }.max()!
}

var document: [String: Any] = ["seeds": seeds]
for r in references {
    let plain = indices(r, rows: 1024, scramble: nil)
    let started = Date()
    let errors = (1...seeds).map { largestError(r, indices(r, rows: 1024, scramble: UInt64($0))) }
    let seconds = Date().timeIntervalSince(started) / Double(seeds)
    // The whole study with 1,000 bootstrap resamples for the 95% intervals, as `dxmap sensitivity` runs it.
    let bootStarted = Date()
    let design = SobolIndices.sample(dimensions: r.problem.dimensions, baseRows: 1024, scramble: 1)!
    _ = SobolIndices.analyze(design, outputs: r.problem.evaluate(design.points, r.model), resamples: 1000)
    document[r.name] = ["plain_s1": plain.firstOrder.map(\.value), "plain_st": plain.total.map(\.value),
                        "plain_error": largestError(r, plain), "scrambled_errors": errors, "seconds_per_study": seconds,
                        "seconds_with_bootstrap": Date().timeIntervalSince(bootStarted)]
}
let c = [1.0, 2, 3]
let linear = Reference(name: "linear", problem: SensitivityProblem(names: ["a", "b", "c"], bounds: Array(repeating: (0, 1), count: 3)),
                       model: { x in zip(c, x).reduce(0) { $0 + $1.0 * $1.1 } }, first: c.map { $0 * $0 / 14 }, total: c.map { $0 * $0 / 14 })
var ratios: [String: Any] = [:]
for rows in [128, 1024] {
    ratios["plain_\(rows)"] = indices(linear, rows: rows, scramble: nil).total.enumerated().map { $1.value / linear.total[$0] }
    ratios["scrambled_\(rows)"] = (1...seeds).map { s in indices(linear, rows: rows, scramble: UInt64(s)).total.enumerated().map { $1.value / linear.total[$0] } }
}
document["linear_st_over_true"] = ratios
let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
print(String(decoding: data, as: UTF8.self))

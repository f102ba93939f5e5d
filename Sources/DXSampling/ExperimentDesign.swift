import CGSL

/// Designs of experiments on the unit hypercube [0, 1]^k: each point is one
/// value in [0, 1] per parameter, which a sweep then maps onto the
/// parameter's range or list of values.
public enum ExperimentDesign {
    /// Full factorial grid: parameter i takes `levels[i]` evenly spaced values j/(L−1) (0.5 when L is 1).
    /// Points are ordered with the last parameter varying fastest.
    public static func grid(levels: [Int]) -> [[Double]] {
        var points: [[Double]] = [[]]
        for l in levels {
            let values = l == 1 ? [0.5] : (0..<l).map { Double($0) / Double(l - 1) }
            points = points.flatMap { p in values.map { p + [$0] } }
        }
        return points
    }

    /// Latin hypercube of `n` points (McKay, Beckman & Conover 1979): for every parameter, each of the n
    /// equal strata of [0, 1] holds exactly one point, at a uniform position within it; strata are
    /// paired across parameters by independent random permutations.
    public static func latinHypercube(points n: Int, dimensions k: Int, stream: RandomStream) -> [[Double]] {
        var points = Array(repeating: [Double](repeating: 0, count: k), count: n)
        for d in 0..<k {
            var strata = Array(0..<n)
            for i in stride(from: n - 1, to: 0, by: -1) {   // Fisher–Yates with GSL's uniform integers
                let j = Int(gsl_rng_uniform_int(stream.rng, UInt(i + 1)))
                strata.swapAt(i, j)
            }
            for i in 0..<n { points[i][d] = (Double(strata[i]) + stream.uniform()) / Double(n) }
        }
        return points
    }

    /// The largest dimension of a Sobol design (``SobolSequence/maxDimensions``).
    public static let sobolMaxDimensions = SobolSequence.maxDimensions

    /// Points `skip` … `skip + n − 1` of the Sobol sequence in `k` dimensions (``SobolSequence``: Joe & Kuo's
    /// direction numbers, as SciPy and SALib), counted from the origin: point 0 is (0, …, 0).
    ///
    /// Counting from the origin is what keeps the design balanced: the first 2^m points form a
    /// (t, m, k)-net, in which every dyadic interval of length 2^−m of each coordinate holds exactly one
    /// point, so the design's mean and variance of a function match the cube's. Starting after the
    /// origin, as GSL's `gsl_qrng_sobol` does, leaves one such interval empty and doubles another, which
    /// biases variance-based estimators: Sobol total indices of a linear function came out 6–10% too
    /// large at 128 rows. Keep `n` a power of two and `skip` a multiple of it.
    ///
    /// With `scramble`, every coordinate is Owen-scrambled with that seed
    /// (``SobolSequence/owenScrambled(_:dimension:seed:)``): the net stays balanced, each point is uniform
    /// on the cube, and estimates become unbiased, with an error that another seed draws anew.
    /// Nil when `k` is outside 1…512 or the points would run past the sequence's 2³⁰.
    public static func sobol(points n: Int, dimensions k: Int, skip: Int = 0, scramble: UInt64? = nil) -> [[Double]]? {
        guard n >= 0, skip >= 0, skip + n <= 1 << SobolSequence.digits, let sequence = SobolSequence(dimensions: k) else { return nil }
        return sequence.points(n, skip: skip, scramble: scramble)
    }

    /// Morris (1991) elementary-effects trajectories on a p-level grid {0, 1/(p−1), …, 1}: each
    /// trajectory has k + 1 points, and consecutive points differ in exactly one parameter, by
    /// Δ = p / (2(p − 1)), in a random order of parameters and a random direction. p must be even.
    public static func morris(trajectories r: Int, dimensions k: Int, levels p: Int, stream: RandomStream) -> [[Double]] {
        let delta = Double(p) / Double(2 * (p - 1))
        var points: [[Double]] = []
        for _ in 0..<r {
            // A base point whose moves stay on the grid: +Δ from the lower half, −Δ from the upper half.
            var direction = [Double](repeating: 1, count: k)
            var x = [Double](repeating: 0, count: k)
            for d in 0..<k {
                let level = Int(gsl_rng_uniform_int(stream.rng, UInt(p / 2)))
                if stream.uniform() < 0.5 {
                    x[d] = Double(level) / Double(p - 1)
                } else {
                    direction[d] = -1
                    x[d] = Double(level + p / 2) / Double(p - 1)
                }
            }
            var order = Array(0..<k)
            for i in stride(from: k - 1, to: 0, by: -1) { order.swapAt(i, Int(gsl_rng_uniform_int(stream.rng, UInt(i + 1)))) }
            points.append(x)
            for d in order {
                x[d] += direction[d] * delta
                x[d] = (x[d] * Double(p - 1)).rounded() / Double(p - 1)   // exactly on the grid
                points.append(x)
            }
        }
        return points
    }
}

/// A design of experiments on the unit hypercube [0, 1]^k whose point i is computed from i alone: a sweep of
/// ten million points needs no more memory than one of ten, and any point can be computed first, alone, on any
/// machine. Each point is one value in [0, 1] per parameter, which a sweep then maps onto the parameter's range
/// or list of values. Randomised designs take their randomness from keyed hashes (``KeyedUniform``) of the
/// seed and the point, not from a stream, for the same reason.
public struct ExperimentDesign: Sendable {
    /// How many points the design has.
    public let count: Int
    /// Coordinates per point.
    public let dimensions: Int
    private let make: @Sendable (Int) -> [Double]

    public init(count: Int, dimensions: Int, point: @escaping @Sendable (Int) -> [Double]) {
        (self.count, self.dimensions, make) = (count, dimensions, point)
    }

    /// Point `i` (0 ≤ i < count).
    public func point(_ i: Int) -> [Double] {
        precondition((0..<count).contains(i), "point \(i) of a design of \(count)")
        return make(i)
    }

    /// Every point, in order (for designs small enough to hold).
    public var points: [[Double]] { (0..<count).map(make) }

    /// The most points a sweep design may have.
    public static let maxPoints = 100_000_000

    // MARK: Designs

    /// Full factorial grid: parameter i takes `levels[i]` evenly spaced values j/(L−1) (0.5 when L is 1). Points
    /// are ordered with the last parameter varying fastest. Nil when the grid has more than `limit` points.
    public static func grid(levels: [Int], limit: Int = maxPoints) -> ExperimentDesign? {
        var count = 1
        for l in levels {
            let (product, overflow) = count.multipliedReportingOverflow(by: l)
            guard !overflow, product <= limit, l >= 1 else { return nil }
            count = product
        }
        return ExperimentDesign(count: count, dimensions: levels.count) { i in
            var rest = i
            var u = [Double](repeating: 0, count: levels.count)
            for d in levels.indices.reversed() {
                let l = levels[d]
                u[d] = l == 1 ? 0.5 : Double(rest % l) / Double(l - 1)
                rest /= l
            }
            return u
        }
    }

    /// The number of points of a grid with these levels, or nil when it overflows.
    public static func gridSize(levels: [Int]) -> Int? {
        levels.reduce(Optional(1)) { count, l in
            count.flatMap { c in let (p, o) = c.multipliedReportingOverflow(by: l); return o ? nil : p }
        }
    }

    /// Latin hypercube of `n` points (McKay, Beckman & Conover 1979): for every parameter, each of the n equal
    /// strata of [0, 1] holds exactly one point, at a uniform position within it; strata are paired across
    /// parameters by independent random permutations. The permutation of parameter d is a keyed bijection of
    /// [0, n) (``KeyedPermutation``), so point i needs no other point.
    public static func latinHypercube(points n: Int, dimensions k: Int, seed: UInt64) -> ExperimentDesign {
        let permutations = (0..<k).map { KeyedPermutation(count: n, key: KeyedUniform.bits(seed, 0x1A7, UInt64($0))) }
        return ExperimentDesign(count: n, dimensions: k) { i in
            (0..<k).map { d in
                (Double(permutations[d](i)) + KeyedUniform.value(seed, 0x1A8, UInt64(d), UInt64(i))) / Double(n)
            }
        }
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
    /// biases variance-based estimators: Sobol total indices of a linear function came out 4.5–5.9% too
    /// large at 128 rows. Keep `n` a power of two and `skip` a multiple of it.
    ///
    /// With `scramble`, every coordinate is Owen-scrambled with that seed
    /// (``SobolSequence/owenScrambled(_:dimension:seed:)``): the net stays balanced, each point is uniform
    /// on the cube, and estimates become unbiased, with an error that another seed draws anew.
    /// Nil when `k` is outside 1…512 or the points would run past the sequence's 2³⁰.
    public static func sobol(points n: Int, dimensions k: Int, skip: Int = 0, scramble: UInt64? = nil) -> ExperimentDesign? {
        guard n >= 0, skip >= 0, skip + n <= 1 << SobolSequence.digits, let sequence = SobolSequence(dimensions: k) else { return nil }
        return ExperimentDesign(count: n, dimensions: k) { i in sequence.points(1, skip: skip + i, scramble: scramble)[0] }
    }

    /// Morris (1991) elementary-effects trajectories on a p-level grid {0, 1/(p−1), …, 1}: each trajectory
    /// has k + 1 points, and consecutive points differ in exactly one parameter, by Δ = p / (2(p − 1)), in a
    /// random order of parameters and a random direction. p must be even. Trajectory t's randomness is keyed
    /// by (seed, t).
    public static func morris(trajectories r: Int, dimensions k: Int, levels p: Int, seed: UInt64) -> ExperimentDesign {
        let delta = Double(p) / Double(2 * (p - 1))
        return ExperimentDesign(count: r * (k + 1), dimensions: k) { i in
            let (t, step) = (i / (k + 1), i % (k + 1))
            // A base point whose moves stay on the grid: +Δ from the lower half, −Δ from the upper half.
            var x = [Double](repeating: 0, count: k), direction = [Double](repeating: 1, count: k)
            for d in 0..<k {
                let level = min(p / 2 - 1, Int(KeyedUniform.value(seed, 0x3044, UInt64(t), UInt64(d)) * Double(p / 2)))
                if KeyedUniform.value(seed, 0x3045, UInt64(t), UInt64(d)) < 0.5 {
                    x[d] = Double(level) / Double(p - 1)
                } else {
                    direction[d] = -1
                    x[d] = Double(level + p / 2) / Double(p - 1)
                }
            }
            let order = (0..<k).sorted {
                KeyedUniform.bits(seed, 0x3046, UInt64(t), UInt64($0)) < KeyedUniform.bits(seed, 0x3046, UInt64(t), UInt64($1))
            }
            for d in order.prefix(step) {
                x[d] += direction[d] * delta
                x[d] = (x[d] * Double(p - 1)).rounded() / Double(p - 1)   // exactly on the grid
            }
            return x
        }
    }

    /// Explicit points.
    public static func list(_ points: [[Double]]) -> ExperimentDesign {
        ExperimentDesign(count: points.count, dimensions: points.first?.count ?? 0) { points[$0] }
    }
}

/// A random bijection of [0, n) keyed by 64 bits: a four-round balanced Feistel network on the smallest
/// even number of bits that covers n, with cycle walking (Black & Rogaway 2002) to stay inside [0, n). The
/// image of i needs no other value, so a Latin hypercube's strata are paired point by point.
public struct KeyedPermutation: Sendable {
    public let count: Int
    let key: UInt64
    let halfBits: Int

    public init(count: Int, key: UInt64) {
        precondition(count >= 1, "a permutation of at least one element")
        self.count = count
        self.key = key
        var bits = 0
        while (1 << (2 * bits)) < count { bits += 1 }
        halfBits = max(bits, 1)
    }

    public func callAsFunction(_ i: Int) -> Int {
        precondition((0..<count).contains(i), "index \(i) of a permutation of \(count)")
        var x = UInt64(i)
        repeat { x = encrypt(x) } while x >= UInt64(count)
        return Int(x)
    }

    func encrypt(_ x: UInt64) -> UInt64 {
        let mask: UInt64 = (1 << UInt64(halfBits)) - 1
        var (left, right) = (x >> UInt64(halfBits), x & mask)
        for round in 0..<4 as Range<UInt64> {
            (left, right) = (right, left ^ (KeyedUniform.mix(key ^ KeyedUniform.mix(right &+ round &* 0x9E37_79B9)) & mask))
        }
        return (left << UInt64(halfBits)) | right
    }
}

/// The Sobol' (1967) low-discrepancy sequence in base 2, with Joe & Kuo's (2008) direction numbers,
/// in Gray-code order, counted from the origin — the sequence SciPy's `qmc.Sobol` (and so SALib's
/// sampler) draws, point for point.
///
/// Why not GSL's `gsl_qrng_sobol`: it has Bratley & Fox's (1988) direction numbers for at most 40
/// dimensions, whose two-dimensional projections are poorer. In Saltelli designs, which pair
/// dimension i with dimension k + i, that showed: on Ishigami and Sobol' G at 1,024 rows, the
/// root-mean-square error of the indices over Owen-scrambled designs was 0.018 and 0.015 with GSL's
/// directions, against 0.013 and 0.007 with Joe & Kuo's (Benchmarks/README.md). GSL also starts
/// after the origin, which unbalances the design (``ExperimentDesign/sobol(points:dimensions:skip:scramble:)``).
///
/// Points carry 30 binary digits: the sequence is defined for up to 2³⁰ points.
public struct SobolSequence: Sendable {
    /// Binary digits per coordinate.
    public static let digits = 30
    /// Dimensions with direction numbers here.
    public static let maxDimensions = 512

    public let dimensions: Int
    /// directions[d][k]: direction number v_{k+1} of dimension d, scaled to `digits` bits.
    let directions: [[UInt32]]

    /// Nil when `dimensions` is outside 1…512.
    public init?(dimensions: Int) {
        guard (1...Self.maxDimensions).contains(dimensions) else { return nil }
        self.dimensions = dimensions
        let rows = Self.joeKuoRows.split(separator: "\n").prefix(dimensions - 1)
        directions = [Self.directions(polynomial: 1, initial: [])]
            + rows.map { row in
                let numbers = row.split(separator: " ").map { UInt32($0)! }
                return Self.directions(polynomial: numbers[0], initial: Array(numbers.dropFirst()))
            }
    }

    /// Direction numbers from a primitive polynomial of degree s (x^s + a_1 x^{s−1} + … + a_{s−1} x + 1)
    /// and its initial m_1 … m_s: m_k = 2a_1 m_{k−1} ⊕ 4a_2 m_{k−2} ⊕ … ⊕ 2^s m_{k−s} ⊕ m_{k−s} (Bratley & Fox 1988).
    /// The first dimension (polynomial 1, no initial numbers) has every m_k = 1.
    static func directions(polynomial p: UInt32, initial: [UInt32]) -> [UInt32] {
        let s = initial.count
        var m = s == 0 ? Array(repeating: 1, count: digits) : initial
        while m.count < digits {
            let k = m.count   // m_{k+1}, at 0-based index k
            var next = m[k - s] ^ (m[k - s] << UInt32(s))
            for i in 1..<s where (p >> UInt32(s - i)) & 1 == 1 { next ^= m[k - i] << UInt32(i) }
            m.append(next)
        }
        return m.enumerated().map { k, value in value << UInt32(digits - 1 - k) }
    }

    /// Points `skip` … `skip + n − 1` as integers of `digits` bits (coordinate = value / 2^digits).
    public func integerPoints(_ n: Int, skip: Int = 0) -> [[UInt32]] {
        precondition(n >= 0 && skip >= 0 && skip + n <= 1 << Self.digits, "the sequence has 2^30 points")
        // Gray-code order: point i is the XOR of the directions of the set bits of i ^ (i >> 1).
        let gray = skip ^ (skip >> 1)
        var x = directions.map { v in (0..<Self.digits).reduce(UInt32(0)) { (gray >> $1) & 1 == 1 ? $0 ^ v[$1] : $0 } }
        var points: [[UInt32]] = []
        points.reserveCapacity(n)
        for i in skip..<(skip + n) {
            if i > skip {
                let bit = (~(i - 1)).trailingZeroBitCount   // the lowest zero bit of i − 1
                for d in 0..<dimensions { x[d] ^= directions[d][bit] }
            }
            points.append(x)
        }
        return points
    }

    /// Points `skip` … `skip + n − 1` in [0, 1)^dimensions; with `scramble`, Owen-scrambled with that seed
    /// (``owenScrambled(_:dimension:seed:)``).
    public func points(_ n: Int, skip: Int = 0, scramble: UInt64? = nil) -> [[Double]] {
        integerPoints(n, skip: skip).map { x in
            x.enumerated().map { d, v in
                scramble.map { Self.owenScrambled(v, dimension: d, seed: $0) } ?? Double(v) * 0x1p-30
            }
        }
    }

    /// Nested uniform scrambling (Owen 1995) of one coordinate of `digits` binary digits: digit b is
    /// flipped by a random bit that depends on the digits above it (and on the seed and dimension), so
    /// points that share their first b digits keep sharing them and every net property survives, while
    /// each point becomes uniform on [0, 1). The random bits come from a keyed hash
    /// (``KeyedUniform/mix(_:)``) of (seed, dimension, b, digits above b): no state, the same whatever
    /// order points are made in. The 22 digits below the sequence's 30 are all zero, so one hash of all
    /// 30 gives them at random.
    public static func owenScrambled(_ value: UInt32, dimension d: Int, seed: UInt64) -> Double {
        let key = KeyedUniform.bits(seed, UInt64(d))
        func random(_ depth: Int, _ above: UInt64) -> UInt64 { KeyedUniform.mix(key ^ KeyedUniform.mix(UInt64(depth) << 32 | above)) }
        let v = UInt64(value)
        var out: UInt64 = 0
        for b in 0..<digits {
            let shift = UInt64(digits - 1 - b)
            out |= (((v >> shift) & 1) ^ (random(b, v >> (shift + 1)) & 1)) << shift
        }
        let tail = UInt64(52 - digits)
        return Double((out << tail) | (random(digits, v) & ((1 << tail) - 1))) * 0x1p-52
    }
}

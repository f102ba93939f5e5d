import CGSL
import Foundation

/// A ``Distribution`` compiled for drawing: parameters converted once (PERT to
/// its beta shape, truncation masses, the alias table of a discrete
/// distribution), so that the per-draw work is one `switch` and one GSL call.
///
/// Samplers are immutable and may be shared between threads; each thread
/// draws from its own ``RandomStream``. A `Sampler` owns what its ``core``
/// points at; inner loops keep the samplers alive and read the cores.
public struct Sampler: Sendable {
    /// How a sampler draws its variates.
    public enum Method: String, Sendable, CaseIterable, Codable {
        /// GSL's samplers for each family (`gsl_ran_beta`, `gsl_ran_gamma`, `gsl_ran_lognormal`, the ziggurat normal…),
        /// the sampler of every release so far.
        case gslDirect = "gsl-direct"
        /// One uniform through the family's quantile function, tabulated (``InverseCDFTable``, u-error ≤ 10⁻¹⁰) where it
        /// is not closed-form: a draw is a monotone function of its uniform.
        case inversion
    }

    /// The distribution this sampler draws from.
    public let distribution: Distribution
    /// Keeps what ``core`` points at alive: a discrete alias table, or a tabulated distribution's quantiles.
    let table: (any AnyObject & Sendable)?
    /// The trivially copyable drawing state; valid while this sampler (or a copy of it) exists.
    public let core: SamplerCore

    /// Compiles a distribution. The distribution must be valid (see ``Distribution/validate()``).
    /// - Parameters:
    ///   - distribution: what to draw.
    ///   - method: GSL's samplers (the default) or inversion through a quantile table.
    public init(_ distribution: Distribution, method: Method = .gslDirect) {
        GSLRuntime.prepare()
        self.distribution = distribution
        if case let .discrete(values, weights) = distribution {
            let table = DiscreteTable(values: values, weights: weights)
            self.table = table
            core = SamplerCore(discrete: table, byInversion: method == .inversion)
        } else if case let .tabulated(quantiles) = distribution {
            let table = QuantileTable(quantiles)
            self.table = table
            core = SamplerCore(tabulated: table)
        } else {
            // By inversion, the families without a closed-form quantile read a table: the standard normal's (shared, for
            // normals, lognormals and truncated normals) or one of this beta or gamma shape.
            var inverse: InverseCDFTable?
            if method == .inversion {
                switch distribution {
                case .normal, .lognormal: inverse = .standardNormal
                case let .beta(a, b): inverse = .beta(a, b)
                case let .pert(lo, mode, hi, lambda):
                    let (a, b) = Distribution.pertShape(lo, mode, hi, lambda)
                    inverse = .beta(a, b)
                case let .gamma(k, _): inverse = .gamma(shape: k)
                default: inverse = nil
                }
            }
            table = inverse
            core = SamplerCore(distribution, inverse: inverse, byInversion: method == .inversion)
        }
    }

    /// How this sampler draws.
    public var method: Method { core.byInversion ? .inversion : .gslDirect }

    /// Draws one variate from `stream` with GSL's sampler for the family.
    @inlinable @inline(__always)
    public func sample(_ stream: RandomStream) -> Double { core.sample(stream) }

    /// The inverse CDF at `p` ∈ (0, 1). Agrees with ``Distribution/quantile(_:)`` (tests check it).
    @inlinable @inline(__always)
    public func quantile(_ p: Double) -> Double { core.quantile(p) }

    /// The value with upper-tail probability `q` ∈ (0, 1), P(X > x) = q: ``quantile(_:)`` at 1 − q, computed from q
    /// itself (GSL's `gsl_cdf_*_Qinv`) so that the far upper tail keeps its precision where 1 − q rounds to 1.
    public func quantile(upper q: Double) -> Double { core.quantile(upper: q) }
}

/// The drawing state of a ``Sampler``: a family tag, its parameters and raw
/// pointers into the discrete table, and nothing reference-counted, so that
/// inner loops copy it for free. Only valid while the owning ``Sampler`` exists.
///
/// `@unchecked Sendable`: the pointers point into an immutable table that
/// GSL only reads.
@frozen
public struct SamplerCore: @unchecked Sendable {
    @usableFromInline enum Kind: UInt8, Sendable {
        case constant, uniform, normal, truncatedNormal, truncatedNormalUpper, lognormal, beta, scaledBeta, triangular, gamma, discrete,
             tabulated
    }

    @usableFromInline let kind: Kind
    /// Whether ``sample(_:)`` inverts one uniform (``Sampler/Method/inversion``); beside `kind`, in its padding.
    @usableFromInline let byInversion: Bool
    // Family parameters, meaning per kind (see init).
    @usableFromInline let p0, p1, p2, p3: Double
    /// Bounds of a truncated normal (infinite when absent).
    @usableFromInline let lower, upper: Double
    @usableFromInline let aliasTable: UnsafeMutablePointer<gsl_ran_discrete_t>?
    @usableFromInline let discreteValues: UnsafePointer<Double>?
    @usableFromInline let discreteTable: UnsafePointer<DiscreteTableHeader>?
    /// By inversion: the header of the family's standard-form quantile table (nil where the quantile is closed-form).
    @usableFromInline let inverseTable: UnsafePointer<InverseTableHeader>?

    init(discrete table: DiscreteTable, byInversion: Bool) {
        (kind, p0, p1, p2, p3, lower, upper) = (.discrete, 0, 0, 0, 0, -.infinity, .infinity)
        aliasTable = table.pointer
        discreteValues = UnsafePointer(table.values.baseAddress!)
        discreteTable = UnsafePointer(table.header)
        (inverseTable, self.byInversion) = (nil, byInversion)
    }

    /// p0 is m, the number of pieces; the quantiles are read through `discreteValues`.
    init(tabulated table: QuantileTable) {
        (kind, p0, p1, p2, p3, lower, upper) = (.tabulated, Double(table.values.count - 1), 0, 0, 0, -.infinity, .infinity)
        (aliasTable, discreteTable) = (nil, nil)
        discreteValues = UnsafePointer(table.values.baseAddress!)
        // A tabulated distribution is sampled by inversion whatever the method.
        (inverseTable, byInversion) = (nil, false)
    }

    init(_ distribution: Distribution, inverse table: InverseCDFTable? = nil, byInversion: Bool = false) {
        (aliasTable, discreteValues, discreteTable) = (nil, nil, nil)
        inverseTable = table.map { UnsafePointer($0.header) }
        self.byInversion = byInversion
        if case let .normal(_, _, lo, hi) = distribution {
            (lower, upper) = (lo ?? -.infinity, hi ?? .infinity)
        } else {
            (lower, upper) = (-.infinity, .infinity)
        }
        switch distribution {
        case let .constant(c): (kind, p0, p1, p2, p3) = (.constant, c, 0, 0, 0)
        case let .uniform(a, b): (kind, p0, p1, p2, p3) = (.uniform, a, b, 0, 0)
        case let .normal(mu, sd, lo, hi):
            if lo == nil && hi == nil {
                (kind, p0, p1, p2, p3) = (.normal, mu, sd, 0, 0)
            } else {
                // Inverse-CDF sampling on [Φ(α), Φ(β)] (or on Q = 1−Φ when the interval is above the mean).
                let a = ((lo ?? -.infinity) - mu) / sd, b = ((hi ?? .infinity) - mu) / sd
                if a > 0 {
                    (kind, p0, p1, p2, p3) = (.truncatedNormalUpper, mu, sd, gsl_cdf_ugaussian_Q(a), gsl_cdf_ugaussian_Q(b))
                } else {
                    (kind, p0, p1, p2, p3) = (.truncatedNormal, mu, sd, gsl_cdf_ugaussian_P(a), gsl_cdf_ugaussian_P(b))
                }
            }
        case let .lognormal(mu, sigma): (kind, p0, p1, p2, p3) = (.lognormal, mu, sigma, 0, 0)
        case let .beta(a, b): (kind, p0, p1, p2, p3) = (.beta, a, b, 0, 1)
        case let .pert(lo, mode, hi, lambda):
            let (a, b) = Distribution.pertShape(lo, mode, hi, lambda)
            (kind, p0, p1, p2, p3) = (.scaledBeta, a, b, lo, hi - lo)
        case let .triangular(lo, mode, hi): (kind, p0, p1, p2, p3) = (.triangular, lo, mode, hi, (mode - lo) / (hi - lo))
        case let .gamma(k, theta): (kind, p0, p1, p2, p3) = (.gamma, k, theta, 0, 0)
        case .discrete: preconditionFailure("discrete samplers are made with init(discrete:)")
        case .tabulated: preconditionFailure("tabulated samplers are made with init(tabulated:)")
        }
    }

    /// Draws one variate from `stream` with GSL's sampler for the family.
    ///
    /// Families GSL does not sample directly use the inverse CDF of one
    /// `gsl_rng_uniform_pos` variate: triangular and truncated normal.
    @inlinable @inline(__always)
    public func sample(_ stream: RandomStream) -> Double {
        if byInversion { return invert(stream.uniformPositive()) }
        let r = stream.rng
        switch kind {
        case .constant: return p0
        case .uniform: return gsl_ran_flat(r, p0, p1)
        case .normal: return p0 + gsl_ran_gaussian_ziggurat(r, p1)
        case .truncatedNormal, .truncatedNormalUpper: return quantile(stream.uniformPositive())
        case .lognormal: return gsl_ran_lognormal(r, p0, p1)
        case .beta: return gsl_ran_beta(r, p0, p1)
        case .scaledBeta: return p2 + p3 * gsl_ran_beta(r, p0, p1)
        case .triangular, .tabulated: return quantile(stream.uniformPositive())
        case .gamma: return gsl_ran_gamma(r, p0, p1)
        case .discrete: return discreteValues.unsafelyUnwrapped[gsl_ran_discrete(r, aliasTable.unsafelyUnwrapped)]
        }
    }

    /// The variate of uniform `u` by inversion: the family's quantile, through its table where it has one (a u-error of
    /// at most 10⁻¹⁰), exact and closed-form otherwise. A truncated normal keeping under a tenth of its normal's mass
    /// inverts exactly (the table's u-error would grow by one over the mass).
    @inlinable @inline(__always)
    public func invert(_ u: Double) -> Double {
        guard let header = inverseTable else { return quantile(u) }
        // The standard form's table at v, or NaN in its tails and exact cells: then this distribution's exact quantile.
        // (Written out per case with NaN for "none", not as a closure returning an Optional: that was not inlined.)
        @inline(__always) func table(_ v: Double) -> Double { header.pointee.lookupOrNaN(v) }
        switch kind {
        case .normal:
            let z = table(u)
            return z.isNaN ? quantile(u) : p0 + p1 * z
        case .lognormal:
            let z = table(u)
            return z.isNaN ? quantile(u) : exp(p0 + p1 * z)
        case .beta:
            let x = table(u)
            return x.isNaN ? quantile(u) : x
        case .scaledBeta:
            let x = table(u)
            return x.isNaN ? quantile(u) : p2 + p3 * x
        case .gamma:
            let x = table(u)
            return x.isNaN ? quantile(u) : p1 * x
        case .truncatedNormal where p3 - p2 >= 0.1:
            let z = table(p2 + u * (p3 - p2))
            return z.isNaN ? quantile(u) : Swift.min(Swift.max(p0 + p1 * z, lower), upper)
        case .truncatedNormalUpper where p2 - p3 >= 0.1:
            // Q(z) = p2 − u(p2 − p3), so z = Φ⁻¹(1 − Q) = −Φ⁻¹(Q).
            let z = table(p2 - u * (p2 - p3))
            return z.isNaN ? quantile(u) : Swift.min(Swift.max(p0 - p1 * z, lower), upper)
        default: return quantile(u)
        }
    }

    /// The inverse CDF at `p` ∈ (0, 1), with the per-distribution constants precomputed.
    @inlinable @inline(__always)
    public func quantile(_ p: Double) -> Double {
        switch kind {
        case .constant: return p0
        case .uniform: return p0 + (p1 - p0) * p
        case .normal: return p0 + p1 * gsl_cdf_ugaussian_Pinv(p)
        case .truncatedNormal:
            return Swift.min(Swift.max(p0 + p1 * gsl_cdf_ugaussian_Pinv(p2 + p * (p3 - p2)), lower), upper)
        case .truncatedNormalUpper:
            return Swift.min(Swift.max(p0 + p1 * gsl_cdf_ugaussian_Qinv(p2 - p * (p2 - p3)), lower), upper)
        case .lognormal: return gsl_cdf_lognormal_Pinv(p, p0, p1)
        case .beta: return betaQuantile(p)
        case .scaledBeta: return p2 + p3 * betaQuantile(p)
        case .triangular:
            let range = p2 - p0
            if p < p3 { return p0 + (range * (p1 - p0) * p).squareRoot() }
            return p2 - (range * (p2 - p1) * (1 - p)).squareRoot()
        case .gamma:
            let x = gsl_cdf_gamma_Pinv(p, p0, p1)
            return x.isNaN && p > 0 && p < 1 ? gammaQuantileByBisection(p) : x
        case .discrete: return discreteTable.unsafelyUnwrapped.pointee.quantile(p)
        case .tabulated:
            let position = p * p0, j = Swift.min(Int(position), Int(p0) - 1)
            let q = discreteValues.unsafelyUnwrapped
            return q[j] + (position - Double(j)) * (q[j + 1] - q[j])
        }
    }
}

extension SamplerCore {
    /// Whether a draw is the quantile of one uniform (by inversion, or a tabulated distribution whatever the method), so
    /// that an ``InverseDraw`` of it draws the same values.
    public var invertsItsUniform: Bool { byInversion || kind == .tabulated }

    /// The beta(p0, p1) quantile: GSL's, or where GSL fails to converge (it returns NaN: beta(200, 2) near u = 0.007)
    /// the CDF inverted by bisection (``InverseCDFTable/inverse(_:_:_:_:)``). Where GSL converges, its value as it was.
    @usableFromInline func betaQuantile(_ p: Double) -> Double {
        let x = gsl_cdf_beta_Pinv(p, p0, p1)
        guard x.isNaN, p > 0, p < 1 else { return x }
        let (a, b) = (p0, p1)
        return InverseCDFTable.inverse(p, { _ in .nan }, { gsl_cdf_beta_P($0, a, b) }, (0, 1))
    }

    /// The gamma quantile by bisection, where GSL's fails to converge.
    @usableFromInline func gammaQuantileByBisection(_ p: Double) -> Double {
        let (k, theta) = (p0, p1)
        return InverseCDFTable.inverse(p, { _ in .nan }, { gsl_cdf_gamma_P($0, k, theta) }, (0, .infinity))
    }

    /// The value with upper-tail probability `q`, P(X > x) = q, computed from q (``Sampler/quantile(upper:)``).
    public func quantile(upper q: Double) -> Double {
        switch kind {
        case .constant: return p0
        case .uniform: return p1 - (p1 - p0) * q
        case .normal: return p0 + p1 * gsl_cdf_ugaussian_Qinv(q)
        case .truncatedNormal:
            // Φ(z) = p3 − q(p3 − p2), so 1 − Φ(z) = Q(β) + q(p3 − p2), with Q(β) from the upper bound itself.
            let qb = upper.isFinite ? gsl_cdf_ugaussian_Q((upper - p0) / p1) : 0
            return Swift.min(Swift.max(p0 + p1 * gsl_cdf_ugaussian_Qinv(qb + q * (p3 - p2)), lower), upper)
        case .truncatedNormalUpper:
            return Swift.min(Swift.max(p0 + p1 * gsl_cdf_ugaussian_Qinv(p3 + q * (p2 - p3)), lower), upper)
        case .lognormal: return gsl_cdf_lognormal_Qinv(q, p0, p1)
        case .beta: return gsl_cdf_beta_Qinv(q, p0, p1)
        case .scaledBeta: return p2 + p3 * gsl_cdf_beta_Qinv(q, p0, p1)
        case .triangular:
            if 1 - q < p3 { return quantile(1 - q) }
            return p2 - ((p2 - p0) * (p2 - p1) * q).squareRoot()
        case .gamma: return gsl_cdf_gamma_Qinv(q, p0, p1)
        case .discrete, .tabulated: return quantile(1 - q)
        }
    }
}

/// GSL's alias table for a discrete distribution (`gsl_ran_discrete_preproc`),
/// plus the sorted cumulative weights its inverse CDF needs.
///
/// `@unchecked Sendable`: the table is written once in `init` and only read
/// afterwards (`gsl_ran_discrete` does not modify it), so sharing it between
/// threads is safe.
@usableFromInline
final class DiscreteTable: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<gsl_ran_discrete_t>
    /// The values, in memory owned here so that samplers can point at them.
    let values: UnsafeMutableBufferPointer<Double>
    /// The values with positive weight in increasing order, their cumulative weights, and a guide over them.
    let sortedValues: UnsafeMutableBufferPointer<Double>
    let cumulative: UnsafeMutableBufferPointer<Double>
    let guide: UnsafeMutableBufferPointer<Int32>
    /// What the quantile reads, at an address samplers keep.
    @usableFromInline let header: UnsafeMutablePointer<DiscreteTableHeader>

    init(values: [Double], weights: [Double]) {
        self.values = .allocate(capacity: values.count)
        _ = self.values.initialize(from: values)
        pointer = weights.withUnsafeBufferPointer { gsl_ran_discrete_preproc($0.count, $0.baseAddress!)! }
        let total = weights.reduce(0, +)
        let order = values.indices.filter { weights[$0] > 0 }.sorted { values[$0] < values[$1] }
        var running = 0.0
        let cumulative = order.map { running += weights[$0] / total; return running }
        // A guide table (Chen & Asau 1974) over the cumulative weights: slice j of the guide's equal slices of (0, 1]
        // starts its search at the first value whose cumulative weight reaches j / slices, so a quantile takes about
        // one comparison whatever the number of values.
        let slices = Swift.max(1, 4 * cumulative.count)
        var guide = [Int32](repeating: 0, count: slices), k = 0
        for j in 0..<slices {
            let start = Double(j) / Double(slices)
            while k + 1 < cumulative.count && cumulative[k] < start { k += 1 }
            guide[j] = Int32(k)
        }
        (sortedValues, self.cumulative, self.guide) = (.allocate(capacity: order.count), .allocate(capacity: order.count),
                                                      .allocate(capacity: slices))
        _ = sortedValues.initialize(from: order.map { values[$0] })
        _ = self.cumulative.initialize(from: cumulative)
        _ = self.guide.initialize(from: guide)
        header = .allocate(capacity: 1)
        header.initialize(to: DiscreteTableHeader(
            cumulative: UnsafePointer(self.cumulative.baseAddress!), values: UnsafePointer(sortedValues.baseAddress!),
            count: order.count, guide: UnsafePointer(self.guide.baseAddress!), slices: slices))
    }

    deinit {
        gsl_ran_discrete_free(pointer)
        for buffer in [values, sortedValues, cumulative] { buffer.deallocate() }
        guide.deallocate()
        header.deallocate()
    }
}

/// What a discrete distribution's quantile reads: its sorted values, their cumulative weights and the guide over them.
@frozen
public struct DiscreteTableHeader: @unchecked Sendable {
    @usableFromInline let cumulative: UnsafePointer<Double>
    @usableFromInline let values: UnsafePointer<Double>
    @usableFromInline let count: Int
    @usableFromInline let guide: UnsafePointer<Int32>
    @usableFromInline let slices: Int

    /// Smallest value whose cumulative probability reaches p (the last value if none does: rounding can leave the
    /// last cumulative weight a hair below 1): from the guide's slice, a short walk.
    @inlinable @inline(__always)
    public func quantile(_ p: Double) -> Double {
        let slice = Swift.min(Swift.max(dx_index_of(p * Double(slices)), 0), slices &- 1)
        var k = Int(guide[slice])
        let last = count - 1
        while k < last && cumulative[k] < p { k &+= 1 }
        while k > 0 && cumulative[k - 1] >= p { k &-= 1 }   // p·slices rounded up onto the next slice
        return values[k]
    }
}

/// The quantiles of a tabulated distribution, in memory its samplers point at.
///
/// `@unchecked Sendable`: written once in `init`, only read afterwards.
@usableFromInline
final class QuantileTable: @unchecked Sendable {
    let values: UnsafeMutableBufferPointer<Double>

    init(_ quantiles: [Double]) {
        values = .allocate(capacity: quantiles.count)
        _ = values.initialize(from: quantiles)
    }

    deinit { values.deallocate() }
}

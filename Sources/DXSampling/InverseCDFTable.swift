import CGSL
import Foundation

/// A distribution's quantile function Q(u) as a table, for sampling by inversion: x = Q̃(u) of one uniform u, so that
/// a draw is monotone in its uniform (what Latin hypercube and quasi-Monte Carlo sampling of the draws need) and a
/// change of parameters moves every draw smoothly (common random numbers without the noise of rejection samplers).
///
/// - **Construction.** Cells in u over [``tailU``, 1 − ``tailU``], each a cubic Hermite interpolant of Q through
///   exact knots with the exact slopes Q′(u) = 1/f(Q(u)): 33 knots from GSL's exact inverse (`gsl_cdf_*_Pinv`), and
///   each further knot at a cell's midpoint in x with its u from the exact CDF, so that building costs CDF evaluations,
///   not inverses. A cell is split in two until it meets the bound below and its cubic is monotone (Fritsch &
///   Carlson's condition on the slopes), as UNU.RAN's PINV refines its intervals (Derflinger, Hörmann & Leydold 2010).
/// - **Bound (verified when built).** The u-error |F(Q̃(u)) − u| is at most ``uErrorBound`` (10⁻¹⁰ by default),
///   checked with the exact CDF at three points inside every cell (a check grid three times as dense as the knots). A
///   cell that cannot meet it above `minimumWidth` is left to the exact inverse, and so are the two tails below
///   ``tailU``: there the draw is GSL's exact quantile (probability 2·10⁻⁶, so it costs nothing on average).
/// - **Lookup.** A guide table over u (Chen & Asau 1974) finds the cell in about one step; the draw is a polynomial
///   in the position inside it. Deterministic: a pure function of u.
public final class InverseCDFTable: @unchecked Sendable {
    // @unchecked: the buffers are written once in init and only read afterwards.

    /// The u-error every table built with the defaults meets.
    public static let uErrorBound = 1e-10
    /// Guide slices per cell: cells are narrow where the quantile bends (the tails), so a guide of two slices a cell left
    /// long walks there; 16 keep the walk under two cells on average at 4 bytes a slice.
    static let guideSlicesPerCell = 16
    /// Below u and above 1 − u, the exact quantile.
    public static let tailU = 1e-6
    /// Cells narrower than this are not split further: where one still misses the bound, it uses the exact quantile.
    static let minimumWidth = 1e-13
    /// The most cells a table may have (1.5 MB); past it, cells still missing the bound use the exact quantile.
    static let maximumCells = 32_768

    /// Cells, in u order: start, 1/width, and the cubic's four coefficients in the position t ∈ [0, 1] (x = c0 +
    /// t(c1 + t(c2 + t·c3))); a cell with width 0 marks the exact quantile.
    let cells: UnsafeMutableBufferPointer<Double>
    /// For each of the guide's equal slices of [tailU, 1 − tailU], the last cell starting at or before the slice's start.
    let guide: UnsafeMutableBufferPointer<Int32>
    /// What a lookup reads (the cells, the guide and their counts), at an address samplers keep.
    let header: UnsafeMutablePointer<InverseTableHeader>
    /// The largest u-error found on the check grid.
    public let measuredUError: Double
    /// The number of cells (exact ones included).
    public var cellCount: Int { cells.count / Self.stride }
    /// How many cells use the exact quantile because no cubic met the bound in them.
    public let exactCells: Int
    let exact: @Sendable (Double) -> Double

    static let stride = 6

    /// A point of the quantile and its slope 1/f there.
    typealias Knot = (x: Double, slope: Double)

    /// A cell [u0, u1] from its end knots: the Hermite cubic's coefficients in t, or nil when it fails the u-error
    /// `bound` (checked at t = ¼, ½, ¾ through the CDF) or is not monotone; with the largest u-error found in it.
    static func hermiteCell(_ u0: Double, _ k0: Knot, _ u1: Double, _ k1: Knot, cdf: (Double) -> Double, bound: Double)
        -> (coefficients: [Double], error: Double)? {
        let h = u1 - u0, dx = k1.x - k0.x
        let m0 = k0.slope * h, m1 = k1.slope * h
        guard m0.isFinite, m1.isFinite, dx.isFinite, dx >= 0 else { return nil }
        if dx > 0 {
            // Fritsch–Carlson: the cubic is monotone when (m0/dx)² + (m1/dx)² ≤ 9.
            let a = m0 / dx, b = m1 / dx
            guard a * a + b * b <= 9 else { return nil }
        }
        let c = [k0.x, m0, 3 * dx - 2 * m0 - m1, m0 + m1 - 2 * dx]
        var error = 0.0
        for t in [0.25, 0.5, 0.75] {
            let x = c[0] + t * (c[1] + t * (c[2] + t * c[3]))
            let e = abs(cdf(x) - (u0 + t * h))
            guard e.isFinite else { return nil }
            error = max(error, e)
        }
        return error <= bound ? (c, error) : nil
    }

    /// The table of a continuous distribution given by its exact quantile, CDF and density.
    /// - Parameters:
    ///   - gslQuantile: Q(u) for u in (0, 1) (GSL's exact inverse).
    ///   - cdf: F(x).
    ///   - density: f(x), for the slopes 1/f(Q(u)).
    ///   - support: the smallest and largest values (infinite where unbounded), for inverting the CDF where GSL's
    ///     inverse fails (`inverse(_:_:_:_:)`).
    ///   - bound: the u-error to meet.
    public init(quantile gslQuantile: @escaping @Sendable (Double) -> Double, cdf: @escaping @Sendable (Double) -> Double,
                density: (Double) -> Double, support: (Double, Double), bound: Double = InverseCDFTable.uErrorBound) {
        GSLRuntime.prepare()
        let quantile: @Sendable (Double) -> Double = { u in Self.inverse(u, gslQuantile, cdf, support) }
        exact = quantile
        let (lo, hi) = (Self.tailU, 1 - Self.tailU)
        var out: [Double] = []
        var worst = 0.0, exactCount = 0
        // The exact point and slope at u.
        func knot(_ u: Double) -> (x: Double, slope: Double) {
            let x = quantile(u), f = density(x)
            return (x, f > 0 && f.isFinite ? 1 / f : (f.isInfinite ? 0 : .infinity))
        }
        func cubic(_ u0: Double, _ k0: Knot, _ u1: Double, _ k1: Knot) -> (coefficients: [Double], error: Double)? {
            Self.hermiteCell(u0, k0, u1, k1, cdf: cdf, bound: bound)
        }
        // Depth-first over 32 starting cells (their knots by the exact inverse), left to right, so the cells come out in
        // u order.
        let start = 32
        var stack: [(Double, (x: Double, slope: Double), Double, (x: Double, slope: Double))] = []
        var knots = (0...start).map { i -> (Double, (x: Double, slope: Double)) in
            let u = lo + (hi - lo) * Double(i) / Double(start)
            return (u, knot(u))
        }
        knots.reverse()
        for i in 0..<start { stack.append((knots[i + 1].0, knots[i + 1].1, knots[i].0, knots[i].1)) }
        while let (u0, k0, u1, k1) = stack.popLast() {
            if let fit = cubic(u0, k0, u1, k1) {
                out += [u0, 1 / (u1 - u0)] + fit.coefficients
                worst = max(worst, fit.error)
            } else if u1 - u0 > Self.minimumWidth && out.count / Self.stride + stack.count < Self.maximumCells {
                // Split at the midpoint in x, whose u is one CDF evaluation (an inverse costs ten or more); at the
                // midpoint in u where that u does not fall strictly inside the cell.
                let xm = (k0.x + k1.x) / 2, um = cdf(xm), fm = density(xm)
                let (mid, km): (Double, (x: Double, slope: Double))
                if um > u0 && um < u1 && xm > k0.x && xm < k1.x && fm > 0 && fm.isFinite {
                    (mid, km) = (um, (xm, 1 / fm))
                } else {
                    mid = (u0 + u1) / 2
                    km = knot(mid)
                }
                // Right half pushed first, so the left comes off the stack first.
                stack.append((mid, km, u1, k1))
                stack.append((u0, k0, mid, km))
            } else {
                out += [u0, 0, 0, 0, 0, 0]
                exactCount += 1
            }
        }
        cells = .allocate(capacity: out.count)
        _ = cells.initialize(from: out)
        measuredUError = worst
        exactCells = exactCount
        // The guide: for each of n equal slices of [lo, hi], the last cell starting at or before the slice's start.
        let n = max(1, out.count / Self.stride) * Self.guideSlicesPerCell
        guide = .allocate(capacity: n)
        var cell = 0
        let count = out.count / Self.stride
        for j in 0..<n {
            let u = lo + (hi - lo) * Double(j) / Double(n)
            while cell + 1 < count && out[(cell + 1) * Self.stride] <= u { cell += 1 }
            guide[j] = Int32(cell)
        }
        header = .allocate(capacity: 1)
        header.initialize(to: InverseTableHeader(cells: UnsafePointer(cells.baseAddress!), count: count,
                                                 guide: UnsafePointer(guide.baseAddress!), slices: n))
    }

    deinit {
        cells.deallocate()
        guide.deallocate()
        header.deallocate()
    }

    /// Q(u) by GSL's inverse, checked: where GSL fails to converge (its beta inverse does for beta(200, 2) near
    /// u = 0.007, and returns NaN) or misses u by more than 10⁻¹³, the CDF is inverted by bisection over the support
    /// (doubling out from GSL's value or the support's finite end where the support is unbounded), to the last bit.
    static func inverse(_ u: Double, _ quantile: (Double) -> Double, _ cdf: (Double) -> Double, _ support: (Double, Double)) -> Double {
        let guess = quantile(u)
        if guess.isFinite && abs(cdf(guess) - u) <= 1e-13 { return guess }
        var (lo, hi) = support
        let start = guess.isFinite ? guess : (lo.isFinite ? lo : hi.isFinite ? hi : 0)
        var step = max(1, abs(start))
        if !lo.isFinite { lo = start - step; while cdf(lo) > u { step *= 2; lo = start - step } }
        step = max(1, abs(start))
        if !hi.isFinite { hi = start + step; while cdf(hi) < u { step *= 2; hi = start + step } }
        for _ in 0..<200 {
            let mid = lo + (hi - lo) / 2
            guard mid > lo && mid < hi else { break }
            if cdf(mid) < u { lo = mid } else { hi = mid }
        }
        return hi
    }

    /// Q̃(u): the table inside [tailU, 1 − tailU] (the exact quantile in the cells left to it), the exact quantile
    /// outside.
    public func quantile(_ u: Double) -> Double { core.quantile(u) }

    /// The trivially copyable view inner loops read; valid while the table exists.
    public var core: InverseTableCore { InverseTableCore(header: UnsafePointer(header), table: Unmanaged.passUnretained(self)) }
}

/// The cells and guide of an ``InverseCDFTable`` with their counts: what a lookup reads, behind one pointer that
/// samplers keep (8 bytes of their state instead of 24).
@frozen
public struct InverseTableHeader: @unchecked Sendable {
    @usableFromInline let cells: UnsafePointer<Double>
    @usableFromInline let count: Int
    @usableFromInline let guide: UnsafePointer<Int32>
    @usableFromInline let slices: Int
    /// Guide slices per unit of u: a multiplication instead of the division the guide was built with; the slice it
    /// gives can round onto a neighbour, which the walk corrects in both directions.
    @usableFromInline let slicesPerU: Double
    /// The smallest u the table does not cover: u ≥ upperU gives the exact quantile. It is where the guide's own
    /// position, (u − tailU) / (1 − 2·tailU) · slices, reaches `slices`, found to the last bit when the table is built, so
    /// that the table covers the same u as before the multiplication.
    @usableFromInline let upperU: Double

    init(cells: UnsafePointer<Double>, count: Int, guide: UnsafePointer<Int32>, slices: Int) {
        (self.cells, self.count, self.guide, self.slices) = (cells, count, guide, slices)
        let lo = InverseCDFTable.tailU, n = Double(slices)
        slicesPerU = n / (1 - 2 * lo)
        func covered(_ u: Double) -> Bool { (u - lo) / (1 - 2 * lo) * n < n }
        var u = 1 - lo
        while covered(u) { u = u.nextUp }
        while !covered(u.nextDown) { u = u.nextDown }
        upperU = u
    }

    /// Q̃(u) from the cells and guide, or NaN where the exact quantile is to be used (the tails, a cell left to it); NaN
    /// rather than an Optional, which kept the inner loop from inlining it.
    @inlinable @inline(__always)
    public func lookupOrNaN(_ u: Double) -> Double {
        let lo = InverseCDFTable.tailU
        guard u >= lo, u < upperU else { return .nan }
        let slice = Swift.min(dx_index_of((u - lo) * slicesPerU), slices &- 1)
        var k = Int(guide[slice])
        // The guide's cell starts at or before its slice's start; u may lie just before that start (the slice rounded
        // up), or past the next cells' starts.
        while k > 0 && cells[k &* 6] > u { k &-= 1 }
        while k &+ 1 < count && cells[(k &+ 1) &* 6] <= u { k &+= 1 }
        let c = cells + k &* 6
        let inverseWidth = c[1]
        guard inverseWidth > 0 else { return .nan }
        let t = (u - c[0]) * inverseWidth
        return c[2] + t * (c[3] + t * (c[4] + t * c[5]))
    }
}

/// What the inner loop reads of an ``InverseCDFTable``: its header and the table for the exact quantile, nothing
/// reference-counted.
@frozen
public struct InverseTableCore: @unchecked Sendable {
    @usableFromInline let header: UnsafePointer<InverseTableHeader>
    @usableFromInline let table: Unmanaged<InverseCDFTable>

    init(header: UnsafePointer<InverseTableHeader>, table: Unmanaged<InverseCDFTable>) {
        (self.header, self.table) = (header, table)
    }

    @inlinable @inline(__always)
    public func quantile(_ u: Double) -> Double {
        let x = header.pointee.lookupOrNaN(u)
        return x.isNaN ? exactQuantile(u) : x
    }

    @usableFromInline func exactQuantile(_ u: Double) -> Double { table._withUnsafeGuaranteedRef { $0.exact(u) } }
}

extension InverseCDFTable {
    /// The standard normal's table (Φ⁻¹, at a u-error of 10⁻¹¹ so that a truncated normal keeping a tenth of the mass still
    /// meets 10⁻¹⁰), shared by every normal, lognormal and truncated normal: x = μ + σ·Φ̃⁻¹(u), exp of that, or
    /// Φ̃⁻¹ at u mapped into [Φ(α), Φ(β)].
    public static let standardNormal = InverseCDFTable(
        quantile: { gsl_cdf_ugaussian_Pinv($0) }, cdf: { gsl_cdf_ugaussian_P($0) }, density: { gsl_ran_ugaussian_pdf($0) },
        support: (-.infinity, .infinity), bound: 1e-11)

    /// Φ⁻¹(u) through ``standardNormal`` (the normal variates of a draw design).
    public static func standardNormalQuantile(_ u: Double) -> Double { standardNormalCore.quantile(u) }
    private static let standardNormalCore = standardNormal.core

    /// A beta(α, β) table (the process's recent tables of the same shape are reused: `TableCache`).
    public static func beta(_ a: Double, _ b: Double) -> InverseCDFTable {
        TableCache.shared.table(.beta(a, b)) {
            InverseCDFTable(quantile: { gsl_cdf_beta_Pinv($0, a, b) }, cdf: { gsl_cdf_beta_P($0, a, b) },
                            density: { gsl_ran_beta_pdf($0, a, b) }, support: (0, 1))
        }
    }

    /// A gamma(k, 1) table (scale it by θ; reused like ``beta(_:_:)``).
    public static func gamma(shape k: Double) -> InverseCDFTable {
        TableCache.shared.table(.gamma(k)) {
            InverseCDFTable(quantile: { gsl_cdf_gamma_Pinv($0, k, 1) }, cdf: { gsl_cdf_gamma_P($0, k, 1) },
                            density: { gsl_ran_gamma_pdf($0, k, 1) }, support: (0, .infinity))
        }
    }
}

/// The most recently used quantile tables of the process, by shape, so that the points of a sweep that leave a
/// distribution's shape alone (most of them, for most inputs) do not build its table again. A table is a pure function
/// of its shape, so reusing one changes no number. At most ``capacity`` tables (a few MB) are kept; a sampler holds its
/// own reference, so evicting one never frees a table in use.
final class TableCache: @unchecked Sendable {
    // @unchecked: every access to `tables` and `clock` is under `lock`.
    enum Shape: Hashable { case beta(Double, Double), gamma(Double) }

    static let shared = TableCache()
    static let capacity = 64

    private let lock = NSLock()
    private var tables: [Shape: (table: InverseCDFTable, used: Int)] = [:]
    private var clock = 0

    func table(_ shape: Shape, build: () -> InverseCDFTable) -> InverseCDFTable {
        lock.lock()
        clock += 1
        if let found = tables[shape] {
            tables[shape] = (found.table, clock)
            lock.unlock()
            return found.table
        }
        lock.unlock()
        // Built outside the lock (milliseconds); two threads building the same shape build equal tables.
        let table = build()
        lock.lock()
        defer { lock.unlock() }
        if tables.count >= Self.capacity, let oldest = tables.min(by: { $0.value.used < $1.value.used })?.key {
            tables[oldest] = nil
        }
        tables[shape] = (table, clock)
        return table
    }
}

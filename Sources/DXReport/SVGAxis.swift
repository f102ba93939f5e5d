import Foundation

/// A linear or logarithmic mapping from data values to pixels, with "nice" ticks.
struct SVGAxis {
    let lower: Double
    let upper: Double
    let pixelStart: Double
    let pixelEnd: Double
    let logarithmic: Bool
    /// Ticks to draw instead of nice ones (one value, for data with no spread).
    var onlyTicks: [Double]? = nil

    /// An axis covering `values` with 5% padding; logarithmic when every value is positive
    /// and they span more than three orders of magnitude (sectors of a national PA do).
    init(covering values: [Double], pixels: (Double, Double), includeZero: Bool, allowLog: Bool) {
        let finite = values.filter(\.isFinite)
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        let positive = lo > 0
        logarithmic = allowLog && positive && hi / lo > 1000
        if logarithmic {
            lo = pow(10, floor(log10(lo)))
            hi = pow(10, ceil(log10(hi)))
        } else {
            if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
            if hi == lo { hi = lo + max(1, abs(lo)) }
            let pad = (hi - lo) * 0.05
            if !(includeZero && lo == 0) { lo -= pad }
            hi += pad
        }
        lower = lo
        upper = hi
        (pixelStart, pixelEnd) = pixels
    }

    init(fixed lower: Double, _ upper: Double, pixels: (Double, Double)) {
        (self.lower, self.upper, logarithmic) = (lower, upper, false)
        (pixelStart, pixelEnd) = pixels
    }

    func pixel(_ x: Double) -> Double {
        let t = logarithmic ? (log10(max(x, lower)) - log10(lower)) / (log10(upper) - log10(lower)) : (x - lower) / (upper - lower)
        return pixelStart + min(max(t, -0.02), 1.02) * (pixelEnd - pixelStart)
    }

    /// Tick values: powers of ten on a log axis, 1-2-5 steps on a linear one.
    var ticks: [Double] {
        if let onlyTicks { return onlyTicks }
        if logarithmic {
            return stride(from: log10(lower), through: log10(upper), by: 1).map { pow(10, $0) }
        }
        let raw = (upper - lower) / 6
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        return stride(from: ceil(lower / step) * step, through: upper, by: step).map { abs($0) < step * 1e-9 ? 0 : $0 }
    }
}

/// How well options (policies, combinations of levers) hold up across futures, as Rhodium and the EMA Workbench
/// score them (Kwakkel 2017; Hadka et al. 2015, "robustness measures"):
///
/// - **Regret** (Savage's minimax regret): in each future, an option's regret is how far it falls short of the
///   best option in that future, `max_k v_k − v_i` when higher is better (`v_i − min_k v_k` when lower is). Over
///   the futures: its mean, its 90th percentile and its maximum. Zero regret in a future: the option was the best
///   there.
/// - **Satisficing** (Starr's domain criterion): the share of futures in which the option meets a threshold the
///   user gives (`v ≥ T` or `v ≤ T`; by default the side that is better).
///
/// Percentiles across futures are order statistics of rank ⌊q(n−1)⌋ (0-based), as dxmap's quantile sketches define
/// them for draws. A future in which any option has no value (a failed point) is left out of every option's score,
/// so that all options are scored on the same futures.
public enum Robustness {
    /// One option's scores.
    public struct Score: Sendable, Equatable {
        public var option: String
        /// Futures scored (those where every option has a value).
        public var futures: Int
        /// The option's mean value across the futures.
        public var meanValue: Double
        public var meanRegret: Double
        public var p90Regret: Double
        public var maxRegret: Double
        /// Futures in which the option was the best (regret zero), as a share.
        public var shareBest: Double
        /// The share of futures meeting the threshold, when one was given.
        public var satisficing: Double?
    }

    /// Scores each option: `values[f][k]` is option k's value in future f. A future meets the threshold when the value
    /// is at least it (`atLeast` true) or at most it (false); `atLeast` defaults to `higherIsBetter`.
    /// - Returns: one score per option, in the order of `options`; empty when no future has every option's value.
    public static func score(options: [String], values: [[Double]], higherIsBetter: Bool, threshold: Double? = nil,
                             atLeast: Bool? = nil) -> [Score] {
        let atLeast = atLeast ?? higherIsBetter
        let futures = values.filter { $0.count == options.count && $0.allSatisfy(\.isFinite) }
        guard !futures.isEmpty else { return [] }
        return options.indices.map { k in
            let regrets = futures.map { row -> Double in
                higherIsBetter ? row.max()! - row[k] : row[k] - row.min()!
            }
            let sorted = regrets.sorted()
            let own = futures.map { $0[k] }
            let meets = threshold.map { t in own.filter { atLeast ? $0 >= t : $0 <= t }.count }
            let n = Double(futures.count)
            return Score(option: options[k], futures: futures.count, meanValue: own.reduce(0, +) / n,
                         meanRegret: regrets.reduce(0, +) / n, p90Regret: orderStatistic(sorted, 0.9), maxRegret: sorted.last!,
                         shareBest: Double(regrets.filter { $0 == 0 }.count) / n, satisficing: meets.map { Double($0) / n })
        }
    }

    /// The q-quantile of sorted values: the order statistic of rank ⌊q(n−1)⌋ (0-based).
    public static func orderStatistic(_ sorted: [Double], _ q: Double) -> Double {
        sorted[Int((min(max(q, 0), 1) * Double(sorted.count - 1)).rounded(.down))]
    }
}

/// Spearman's rank correlation: Pearson's correlation of the ranks, ties given their average rank (as
/// `scipy.stats.spearmanr` and R's `cor(method = "spearman")` compute it).
public enum RankCorrelation {
    /// ρ of the pairs (x[i], y[i]) with both finite; nil with fewer than three such pairs or when either side is
    /// constant (no ranking to correlate).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        let pairs = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
        guard pairs.count >= 3 else { return nil }
        let rx = ranks(pairs.map(\.0)), ry = ranks(pairs.map(\.1))
        let n = Double(pairs.count), mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(rx, ry) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Ranks from 1, ties at their average rank.
    public static func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var result = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { result[order[k]] = rank }
            i = j + 1
        }
        return result
    }
}

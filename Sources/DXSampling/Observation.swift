import Foundation

// One observation model for evidence, pilots and the value of sample information. A new likelihood is a case of
// ObservationModel and of Observation here (its simulation; its validation, what it can inform, likelihood, peak,
// tails and pooling; its statistic and words), its YAML in DXScenario's ScenarioReader+Evidence.swift, and its
// fields in the scenario JSON Schema.

/// How one case of a pilot observes an uncertain input θ.
public enum ObservationModel: Sendable, Hashable {
    /// Each case is handled end to end or not, with θ (a share in [0, 1]) as its probability: the pilot observes
    /// how many succeed (a binomial likelihood).
    case binomial
    /// Each case measures θ with normal error of sd `noise`: the pilot observes their mean (a normal likelihood
    /// with standard error noise/√cases).
    case normal(noise: Double)

    /// What `cases` cases observe when the input is θ, drawn from `random`; nil where the model cannot observe it
    /// (no cases, a share outside [0, 1], a negative or infinite noise).
    public func simulate(_ θ: Double, cases: Int, random: RandomStream) -> Observation? {
        guard cases > 0 else { return nil }
        switch self {
        case .binomial:
            guard (0...1).contains(θ) else { return nil }
            return .successes(random.binomial(trials: cases, probability: θ), trials: cases)
        case let .normal(noise):
            guard noise >= 0, noise.isFinite else { return nil }
            let sd = noise / Double(cases).squareRoot()
            return .measured(value: θ + sd * random.standardNormal(), standardError: sd)
        }
    }
}

/// What was observed about one uncertain input: the data of a piece of evidence, and what a proposed pilot would
/// observe in a draw (``ObservationModel/simulate(_:cases:random:)``). Its likelihood is the posterior's, so the
/// evidence applied and the EVSI of a pilot rest on one model.
public enum Observation: Sendable, Hashable {
    /// `successes` of `trials` cases succeeded, each with the input (a share in [0, 1]) as its probability: a
    /// binomial likelihood.
    case successes(Int, trials: Int)
    /// The input was measured as `value` with normal error of sd `standardError`.
    case measured(value: Double, standardError: Double)

    /// Checks the observation on its own (successes within trials, a positive finite standard error).
    public func validate() throws(DistributionError) {
        switch self {
        case let .successes(s, n):
            try Distribution.require(n >= 1, "trials", "trials must be a whole number of at least 1, found \(n)")
            try Distribution.require(s >= 0 && s <= n, "successes",
                                     "successes must lie between 0 and the \(n) trials, found \(s)")
        case let .measured(value, se):
            try Distribution.require(value.isFinite, "measured", "the measured value must be a finite number, found \(value)")
            try Distribution.require(se.isFinite && se > 0, "se", "the standard error must be a positive number, found \(fmt(se))")
        }
    }

    /// What the value-of-information regression conditions on: the number of successes, or the measured value.
    public var statistic: Double {
        switch self {
        case let .successes(s, _): Double(s)
        case let .measured(value, _): value
        }
    }

    /// In words, for tables and run records: "31/60 succeeded", "1.60bn (se 400M)".
    public var summary: String {
        switch self {
        case let .successes(s, n): "\(s)/\(n) succeeded"
        case let .measured(v, se): "\(NumberFormatting.compact(v)) (se \(NumberFormatting.compact(se)))"
        }
    }

    /// Refuses an observation that cannot inform `prior`: successes inform a share, so the prior must lie in [0, 1].
    func canInform(_ prior: Distribution) throws(DistributionError) {
        if case .successes = self {
            let s = prior.support
            try Distribution.require(s.lower >= 0 && s.upper <= 1, "successes", """
                successes out of trials inform a share in [0, 1], but this \(prior.family) prior ranges over \
                [\(fmt(s.lower)), \(fmt(s.upper))]
                """)
        }
    }

    /// The input value where the likelihood peaks: s/n, or the measured value.
    var peak: Double {
        switch self {
        case let .successes(s, n): Double(s) / Double(n)
        case let .measured(value, _): value
        }
    }

    /// The largest log-likelihood any input value could give (at s/n, or at the measured value).
    var bestLogLikelihood: Double {
        switch self {
        case .successes: logLikelihood(peak)
        case .measured: 0
        }
    }

    /// The largest log-likelihood over input values in [lower, upper]: at the peak when it lies there, else at the
    /// nearer end (the likelihood is unimodal).
    func bestLogLikelihood(in lower: Double, _ upper: Double) -> Double {
        logLikelihood(min(max(peak, lower), upper))
    }

    /// P(a result ≥ this one | input x) and P(a result ≤ this one | input x): the tails of its sampling
    /// distribution, for the prior predictive conflict (``Posterior/conflict(_:_:)``).
    func tails(at x: Double) -> (atLeast: Double, atMost: Double) {
        switch self {
        case let .measured(value, se):
            return (standardNormalCDF((x - value) / se), standardNormalCDF((value - x) / se))
        case let .successes(s, n):
            let p = min(max(x, 0), 1)
            return (binomialUpperTail(atLeast: s, trials: n, probability: p),
                    s >= n ? 1 : 1 - binomialUpperTail(atLeast: s + 1, trials: n, probability: p))
        }
    }

    /// Independent observations as at most two with the same likelihood up to a constant: successes add up (S of N
    /// trials), and normal measurements combine into one at their precision-weighted mean with standard error
    /// 1/√(Σ 1/se²).
    public static func pooled(_ observations: [Observation]) -> [Observation] {
        // One of each kind is left as written (bit for bit the single update it always was).
        let measurements = observations.filter { if case .measured = $0 { true } else { false } }.count
        if measurements <= 1 && observations.count - measurements <= 1 { return observations }
        var s = 0, n = 0, precision = 0.0, weighted = 0.0, anySuccesses = false
        for o in observations {
            switch o {
            case let .successes(k, trials): (s, n, anySuccesses) = (s + k, n + trials, true)
            case let .measured(value, se): (precision, weighted) = (precision + 1 / (se * se), weighted + value / (se * se))
            }
        }
        return (anySuccesses ? [.successes(s, trials: n)] : [])
            + (precision > 0 ? [.measured(value: weighted / precision, standardError: (1 / precision).squareRoot())] : [])
    }

    /// The log-likelihood of the observation at input value x (up to a constant).
    func logLikelihood(_ x: Double) -> Double {
        switch self {
        case let .successes(s, n):
            let a = s == 0 ? 0 : Double(s) * log(x), b = s == n ? 0 : Double(n - s) * log1p(-x)
            return a + b
        case let .measured(value, se):
            let z = (x - value) / se
            return -z * z / 2
        }
    }
}


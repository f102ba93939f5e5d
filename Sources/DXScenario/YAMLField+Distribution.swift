import DXSampling
import Yams

/// The values a distributed input may take, checked against the distribution's support.
enum ValueDomain {
    /// A share in [0, 1] (automation, realisation).
    case share
    /// A cost: never negative.
    case nonNegative
    /// A year, 1 or later (rounded to whole years when sampled).
    case year
    /// A delay in years: never negative.
    case delay
    /// A year of a scenario with `start_year`: a calendar year (from `start`) or a year of the horizon (from 1);
    /// calendar years are read as horizon years, `start` being year 1.
    case calendarYear(start: Int)

    /// The largest expected cost of one task's distributed cost (so that sums over a million tasks stay finite),
    /// and the longest adoption year or delay, in years.
    static let maxMeanCost = 1e12, maxYears = 1000.0

    func check(_ d: Distribution) -> String? {
        // Parameters that are each finite can still give infinite moments (lognormal with sigma 1000, or mu 700):
        // their draws would overflow, and NaN and infinity would reach every sum.
        guard d.mean.isFinite, d.variance.isFinite else {
            return """
                this \(d.family) has no finite \(d.mean.isFinite ? "variance" : "mean") with these parameters (its draws would overflow \
                to infinity): choose smaller ones
                """
        }
        switch self {
        case .nonNegative where d.mean + d.variance.squareRoot() > Self.maxMeanCost:
            return """
                expected a cost whose mean plus one sd is at most \(YAMLField.format(Self.maxMeanCost)), found \
                \(YAMLField.format(d.mean + d.variance.squareRoot()))
                """
        case .year where (1900...2300).contains(d.support.0) && d.mean > Self.maxYears:
            // A calendar year where a year of the horizon belongs (values: [2026, 2027]).
            let first = Int(d.support.0.rounded())
            return """
                adoption years count the years of the horizon from 1, found \(YAMLField.format(d.mean)) on average: that looks \
                like a calendar year: give the scenario start_year: \(first) to write calendar years, or write \(first) as 1 and \
                \(first + 1) as 2
                """
        case .year where d.mean > Self.maxYears, .delay where d.mean > Self.maxYears:
            return "expected at most \(YAMLField.format(Self.maxYears)) years on average, found \(YAMLField.format(d.mean))"
        default: break
        }
        let (lo, hi) = d.support
        if case let .constant(c) = d {
            switch self {
            case .share where c < 0 || c > 1: return "expected a share between 0 and 1, found \(YAMLField.format(c))"
            case .nonNegative where c < 0: return "a cost cannot be negative, found \(YAMLField.format(c))"
            case .year where c < 1: return "an adoption year must be 1 or later, found \(YAMLField.format(c))"
            case .delay where c < 0: return "a delay in years cannot be negative, found \(YAMLField.format(c))"
            default: return nil
            }
        }
        switch self {
        case .share:
            if lo < 0 || hi > 1 {
                return "a share must lie in [0, 1], but this \(d.family) ranges over [\(YAMLField.format(lo)), \(YAMLField.format(hi))]"
                    + (d.family == "normal" ? " (add min: 0, max: 1 to truncate it)" : """
                         (use beta, pert, triangular, uniform or a truncated normal)
                        """)
            }
        case .nonNegative:
            if lo < 0 {
                return "a cost cannot be negative, but this \(d.family) reaches \(YAMLField.format(lo))"
                    + (d.family == "normal" ? " (add min: 0 to truncate it)" : "")
            }
        case .delay:
            if lo < 0 {
                return "a delay in years cannot be negative, but this \(d.family) reaches \(YAMLField.format(lo))"
                    + (d.family == "normal" ? " (add min: 0 to truncate it)" : "")
            }
        case .year:
            if lo < 1 { return "an adoption year must be 1 or later, but this \(d.family) reaches \(YAMLField.format(lo))" }
            if case let .discrete(values, _) = d, let v = values.first(where: { $0 != $0.rounded() }) {
                return "adoption years must be whole years, found \(YAMLField.format(v))"
            }
        case .calendarYear:
            return ValueDomain.year.check(d)   // read as a year of the horizon (YAMLField.distribution shifts it first)
        }
        return nil
    }
}

extension YAMLField {
    static let families = ["uniform", "normal", "lognormal", "beta", "pert", "triangular", "gamma", "discrete"]

    /// A distribution: a bare number (constant) or a one-key mapping naming its family.
    func distribution(_ domain: ValueDomain) -> Distribution? {
        let d: Distribution?
        if case .scalar = node {
            d = number().map(Distribution.constant)
        } else if case let .mapping(m) = node {
            AcceptedFields.current?.record(path, Self.families)
            guard m.count == 1, let (key, value) = m.first, let family = key.scalar?.string else {
                fail("""
                    expected a number or a mapping with one key naming the distribution (\(Self.families.joined(separator: ", "))), found \
                    a mapping with \(m.count) keys
                    """)
                return nil
            }
            guard Self.families.contains(family) else {
                let hint = Suggestion.didYouMean(family, among: Self.families)
                log.report(key.mark, "\(path).\(family)",
                           "unknown distribution family '\(family)'\(hint); expected one of: \(Self.families.joined(separator: ", "))")
                return nil
            }
            d = child(family, value).parameters(of: family)
        } else {
            fail("expected a number or a distribution such as { beta: { mean: 0.6, sd: 0.1 } }, found \(describe)")
            return nil
        }
        guard var d else { return nil }
        var domain = domain
        if case let .calendarYear(start) = domain {
            domain = .year
            if d.mean >= 1900 {
                guard let shifted = d.shifted(by: -Double(start - 1)) else {
                    fail("""
                        a \(d.family) cannot be written in calendar years; write it in years of the horizon (1 = \(start))
                        """)
                    return nil
                }
                let lower = d.support.lower
                guard lower.rounded() >= Double(start) else {
                    fail("""
                        a calendar adoption year from start_year \(start) (year 1) on, found one that reaches \
                        \(lower.isFinite ? YAMLField.format(lower.rounded()) : "below any bound"): before the horizon starts
                        """)
                    return nil
                }
                d = shifted
            }
        }
        if let problem = domain.check(d) {
            fail(problem)
            return nil
        }
        return d
    }

    /// The parameters each family accepts.
    static let parameterNames: [String: [String]] = [
        "uniform": ["min", "max"], "normal": ["mean", "sd", "min", "max"],
        "lognormal": ["mu", "sigma", "mean", "sd", "p5", "p95"], "beta": ["alpha", "beta", "mean", "sd"],
        "pert": ["min", "mode", "max", "lambda"], "triangular": ["min", "mode", "max"],
        "gamma": ["shape", "scale", "mean", "sd"], "discrete": ["values", "weights"],
    ]

    /// Reads the parameter mapping of one family (`self` is the `beta:` value, path `…beta`).
    private func parameters(of family: String) -> Distribution? {
        guard let m = mapping(allowed: Self.parameterNames[family]!) else { return nil }
        let present = m.order

        /// Reads the named numbers, all required; nil if any is missing or bad.
        func numbers(_ names: [String]) -> [Double]? {
            let values = names.map { name in m.required(name, "a number")?.number() }
            return values.contains { $0 == nil } ? nil : values.map { $0! }
        }
        /// Picks the parametrisation whose parameters are present, or says which are accepted.
        func choose(_ options: [[String]]) -> [String]? {
            // Keys are unique (duplicates are refused when composing), so equal counts and containment mean equal sets.
            if let match = options.first(where: { $0.count == present.count && $0.allSatisfy(present.contains) }) { return match }
            // A misspelt parameter was already reported with its correction: one mistake, one message.
            if !m.misspelt.isEmpty, options.contains(where: { Set($0) == Set(present).union(m.misspelt) }) { return nil }
            let accepted = options.map { "{\($0.joined(separator: ", "))}" }.joined(separator: " or ")
            fail("\(family) takes \(accepted); found {\(m.order.joined(separator: ", "))}")
            return nil
        }

        let result: Distribution?
        do {
            switch family {
            case "uniform":
                guard let v = numbers(["min", "max"]) else { return nil }
                result = .uniform(min: v[0], max: v[1])
            case "normal":
                guard let v = numbers(["mean", "sd"]) else { return nil }
                let lo = m["min"]?.number(), hi = m["max"]?.number()
                if (m["min"] != nil && lo == nil) || (m["max"] != nil && hi == nil) { return nil }
                result = .normal(mean: v[0], sd: v[1], min: lo, max: hi)
            case "lognormal":
                guard let names = choose([["mu", "sigma"], ["mean", "sd"], ["p5", "p95"]]), let v = numbers(names) else { return nil }
                switch names[0] {
                case "mu": result = .lognormal(mu: v[0], sigma: v[1])
                case "mean": result = try Distribution.lognormal(mean: v[0], sd: v[1])
                default: result = try Distribution.lognormal(p5: v[0], p95: v[1])
                }
            case "beta":
                guard let names = choose([["alpha", "beta"], ["mean", "sd"]]), let v = numbers(names) else { return nil }
                result = names[0] == "alpha" ? .beta(alpha: v[0], beta: v[1]) : try Distribution.beta(mean: v[0], sd: v[1])
            case "pert":
                guard let v = numbers(["min", "mode", "max"]) else { return nil }
                let lambda = m["lambda"].map { $0.number() } ?? 4
                guard let lambda else { return nil }
                result = .pert(min: v[0], mode: v[1], max: v[2], lambda: lambda)
            case "triangular":
                guard let v = numbers(["min", "mode", "max"]) else { return nil }
                result = .triangular(min: v[0], mode: v[1], max: v[2])
            case "gamma":
                guard let names = choose([["shape", "scale"], ["mean", "sd"]]), let v = numbers(names) else { return nil }
                result = names[0] == "shape" ? .gamma(shape: v[0], scale: v[1]) : try Distribution.gamma(mean: v[0], sd: v[1])
            default: // discrete
                guard let values = m.required("values", "a list of numbers")?.list()?.map({ $0.number() }),
                      !values.contains(where: { $0 == nil }) else { return nil }
                var weights = [Double](repeating: 1, count: values.count)
                if let w = m["weights"] {
                    guard let ws = w.list()?.map({ $0.number() }), !ws.contains(where: { $0 == nil }) else { return nil }
                    weights = ws.map { $0! }
                }
                result = .discrete(values: values.map { $0! }, weights: weights)
            }
            try result?.validate()
        } catch let error as DistributionError {
            let at = error.parameter.flatMap { m[$0] } ?? self
            at.fail(error.message)
            return nil
        } catch {
            fail("\(error)")
            return nil
        }
        return result
    }
}

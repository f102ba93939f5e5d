import DXSampling

extension YAMLField {
    /// A `sampling:` block (in a scenario or a sweep file): how the run draws.
    ///
    /// ```yaml
    /// sampling:
    ///   sampler: inversion          # or gsl-direct
    ///   generator: xoshiro256starstar
    ///   design: latin-hypercube     # plain, latin-hypercube or sobol
    ///   replicates: 10
    /// ```
    /// Each field may be left out (the default, or a command's flag, decides it).
    func samplingSettings() -> SamplingSettings {
        var s = SamplingSettings()
        guard let m = mapping(allowed: ["sampler", "generator", "design", "replicates"]) else { return s }
        func choice<T: RawRepresentable<String> & CaseIterable>(_ key: String, _: T.Type) -> T? {
            guard let field = m[key], let text = field.string() else { return nil }
            guard let value = T(rawValue: text) else {
                let names = T.allCases.map(\.rawValue)
                field.fail("expected \(names.joined(separator: ", "))\(Suggestion.didYouMean(text, among: names)), found \"\(text)\"")
                return nil
            }
            return value
        }
        s.sampler = choice("sampler", Sampler.Method.self)
        s.generator = choice("generator", RandomStream.Generator.self)
        s.design = choice("design", DrawDesign.Method.self)
        if let r = m["replicates"] { s.replicates = r.integer(in: 2...10_000, "a whole number of replicates from 2 to 10000") }
        return s
    }
}

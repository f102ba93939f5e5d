/// A uniform variate on [0, 1) that is a pure function of its key: the
/// SplitMix64 finaliser applied to the key words in turn (Steele, Lea &
/// Flood 2014). Used for common random numbers where the number of
/// variates a scenario consumes depends on the policy (e.g. which trainees
/// succeed): trainee k of year y in cell c gets the same variate under
/// every policy, so policies differ only by what they decide.
public enum KeyedUniform {
    /// The SplitMix64 finaliser: a bijective mix of 64 bits (for hashing keys without an array).
    @inlinable @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The variate for a key; 53 random bits, like `gsl_rng_uniform` on a 64-bit generator.
    public static func value(_ key: UInt64...) -> Double { Double(hash(key) >> 11) * 0x1p-53 }

    /// 64 well-mixed bits for a key (e.g. a seed derived from a master seed and an index).
    public static func bits(_ key: UInt64...) -> UInt64 { hash(key) }

    static func hash(_ key: [UInt64]) -> UInt64 {
        var h: UInt64 = 0x6A09_E667_F3BC_C908
        for k in key { h = mix(h ^ mix(k)) }
        return h
    }
}

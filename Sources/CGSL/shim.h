#ifndef DXMAP_CGSL_SHIM_H
#define DXMAP_CGSL_SHIM_H

// The one C header dxmap's Swift code sees. It includes the GSL headers the
// sampling module uses and wraps GSL's global variables (generator types,
// the error handler) in functions: Swift 6 strict concurrency rejects direct
// access to C globals, and a function call is the honest way to say "read once".

#include <stdint.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_gamma.h>

/// GSL's default error handler aborts the process (e.g. when an inverse CDF
/// fails to converge). dxmap reports such failures as values instead, so the
/// handler is switched off once, before any other GSL call.
static inline void dx_gsl_disable_abort(void) { gsl_set_error_handler_off(); }

static inline const gsl_rng_type *dx_rng_type_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *dx_rng_type_ranlxd2(void) { return gsl_rng_ranlxd2; }
static inline const gsl_rng_type *dx_rng_type_taus2(void) { return gsl_rng_taus2; }

/// xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47, 2021), added to GSL
/// through its own generator interface (`gsl_rng_type`): 256 bits of state, period 2^256 − 1, 64 bits a call. The
/// reference algorithm (prng.di.unimi.it/xoshiro256starstar.c) as randomgen's `Xoshiro256` implements it; the tests
/// check it against randomgen's output (Tests/DXSamplingTests/RandomStreamTests.swift).
typedef struct { uint64_t s[4]; } dx_xoshiro256_state;

/// A double's integer part, for an index already known to be in range (Swift's Int(_:) checks it again).
static inline long dx_index_of(double x) { return (long)x; }

static inline uint64_t dx_rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t dx_xoshiro256_next(dx_xoshiro256_state *st) {
    uint64_t *s = st->s;
    const uint64_t result = dx_rotl64(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = dx_rotl64(s[3], 45);
    return result;
}

static inline unsigned long dx_xoshiro256_get(void *state) { return (unsigned long)dx_xoshiro256_next(state); }

/// The top 53 bits as a double in [0, 1), as Vigna recommends (the low bits of ** are its weakest).
static inline double dx_xoshiro256_get_double(void *state) {
    return (double)(dx_xoshiro256_next(state) >> 11) * 0x1.0p-53;
}

/// Seeds from one 64-bit value by SplitMix64, as the reference code advises (never the all-zero state).
static inline void dx_xoshiro256_set(void *state, unsigned long seed) {
    dx_xoshiro256_state *st = state;
    uint64_t x = (uint64_t)seed, z;
    for (int i = 0; i < 4; i++) {
        z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        st->s[i] = z ^ (z >> 31);
    }
}

static const gsl_rng_type dx_xoshiro256_type = {
    "xoshiro256**", 0xffffffffffffffffUL, 0, sizeof(dx_xoshiro256_state),
    &dx_xoshiro256_set, &dx_xoshiro256_get, &dx_xoshiro256_get_double
};

static inline const gsl_rng_type *dx_rng_type_xoshiro256(void) { return &dx_xoshiro256_type; }

/// `gsl_rng_uniform_pos` of a xoshiro256** generator without GSL's indirect call: the same values, bit for bit (GSL
/// calls `get_double` until it is not 0).
static inline double dx_xoshiro256_uniform_pos(dx_xoshiro256_state *state) {
    double u;
    do { u = (double)(dx_xoshiro256_next(state) >> 11) * 0x1.0p-53; } while (u == 0);
    return u;
}

/// The state of a xoshiro256** generator (nil for any other type), for the inlined path above.
static inline dx_xoshiro256_state *dx_xoshiro256_state_of(gsl_rng *r) {
    return strcmp(r->type->name, dx_xoshiro256_type.name) == 0 ? (dx_xoshiro256_state *)r->state : NULL;
}

/// Sets a xoshiro256** generator's state words directly (known-answer tests; never all zero).
static inline void dx_xoshiro256_set_state(gsl_rng *r, uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) {
    dx_xoshiro256_state *st = (dx_xoshiro256_state *)gsl_rng_state(r);
    st->s[0] = s0; st->s[1] = s1; st->s[2] = s2; st->s[3] = s3;
}

/// SplitMix64 (Steele, Lea & Flood 2014): a bijective 64-bit mixer used to
/// expand (seed, stream) into generator state.
static inline uint64_t dx_splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// Layout of GSL's mt19937 state (gsl/rng/mt.c; unchanged since GSL 1.0).
typedef struct { unsigned long mt[624]; int mti; } dx_mt19937_state;

/// Seeds `r` for stream `stream` of master seed `seed`.
///
/// For mt19937 every one of the 624 state words is filled from a SplitMix64
/// sequence keyed by (seed, stream), so distinct (seed, stream) pairs give
/// distinct generators (gsl_rng_set alone takes 32 bits of seed, and
/// thousands of streams would collide by the birthday bound). For other
/// generator types the mixed 64-bit key goes through gsl_rng_set.
static inline void dx_rng_seed_stream(gsl_rng *r, uint64_t seed, uint64_t stream) {
    uint64_t key = seed;
    uint64_t k1 = dx_splitmix64(&key);
    key = k1 ^ (stream * 0xD1B54A32D192ED03ULL + 0x8CB92BA72F3D8DD7ULL);
    if (r->type == gsl_rng_mt19937 && gsl_rng_size(r) == sizeof(dx_mt19937_state)) {
        dx_mt19937_state *s = (dx_mt19937_state *)gsl_rng_state(r);
        for (int i = 0; i < 624; i++) {
            s->mt[i] = (unsigned long)(dx_splitmix64(&key) & 0xffffffffUL);
        }
        s->mt[0] |= 0x80000000UL; /* never the all-zero state */
        s->mti = 624;             /* regenerate the block on first draw */
    } else if (strcmp(r->type->name, dx_xoshiro256_type.name) == 0) {
        /* By name: each module importing this header has its own copy of the static type. */
        /* All 256 bits of state from the keyed SplitMix64 sequence, as for mt19937. */
        dx_xoshiro256_state *s = (dx_xoshiro256_state *)gsl_rng_state(r);
        for (int i = 0; i < 4; i++) s->s[i] = dx_splitmix64(&key);
        if ((s->s[0] | s->s[1] | s->s[2] | s->s[3]) == 0) s->s[0] = 1;
    } else {
        gsl_rng_set(r, (unsigned long)dx_splitmix64(&key));
    }
}

// MARK: - Draw designs: Latin hypercube and randomised quasi-Monte Carlo through GSL's generator interface

/// A draw design as a GSL generator. Draw i of a design of n points is a point u_i in [0, 1)^∞ whose coordinate
/// d is the d-th uniform the draw asks for: dxmap's samplers ask for their uniforms in the same order every draw, so
/// coordinate d is always the same input. `dx_design_start` moves the generator to point i and coordinate 0; every
/// `gsl_rng_uniform` after it returns the next coordinate.
///
/// - Latin hypercube (McKay, Beckman & Conover 1979): coordinate d of point i is (π_d(i) + V_{i,d}) / n, π_d a
///   random permutation of 0…n−1 and V uniform: every coordinate has exactly one point in each of its n strata.
/// - Randomised quasi-Monte Carlo: coordinates in groups of four; group g of point i is Sobol' point π_g(i) in
///   dimensions 1–4 (Joe & Kuo 2008 directions), each coordinate nested-uniform scrambled (Owen 1995) by the
///   hash of Burley (2020, "Practical hash-based Owen scrambling", JCGT 9(4)) — Owen's padding (Owen 1994) beyond
///   four dimensions, as Burley does. Every coordinate alone is a scrambled (0, m, 1)-net (stratified as finely as a
///   Latin hypercube when n is a power of two) and each group of four a scrambled Sobol' net.
/// The permutations π are keyed Feistel permutations of any length (`dx_permute`); all randomness is a keyed hash of (replicate key, coordinate, point), so a
/// point's coordinates do not depend on which thread computes it or in what order.
typedef struct {
    uint64_t key;       /* the replicate's key: independent replicates have independent keys */
    uint64_t point;     /* i, 0 ≤ i < n */
    uint64_t coordinate;
    uint32_t n;
    uint32_t sobol;     /* 0: Latin hypercube, 1: scrambled Sobol' */
} dx_design_state;

/* Direction numbers of Sobol' dimensions 1–4 at 32 binary digits: the first four of SobolSequence's (Joe & Kuo's
 * new-joe-kuo-6.21201, by the recurrence of Bratley & Fox 1988). RandomStreamTests checks the points they give
 * against SobolSequence's. Data, not code. */
static const uint32_t dx_sobol4_directions[4][32] = {
    {0x80000000u, 0x40000000u, 0x20000000u, 0x10000000u, 0x08000000u, 0x04000000u, 0x02000000u, 0x01000000u,
     0x00800000u, 0x00400000u, 0x00200000u, 0x00100000u, 0x00080000u, 0x00040000u, 0x00020000u, 0x00010000u,
     0x00008000u, 0x00004000u, 0x00002000u, 0x00001000u, 0x00000800u, 0x00000400u, 0x00000200u, 0x00000100u,
     0x00000080u, 0x00000040u, 0x00000020u, 0x00000010u, 0x00000008u, 0x00000004u, 0x00000002u, 0x00000001u},
    {0x80000000u, 0xc0000000u, 0xa0000000u, 0xf0000000u, 0x88000000u, 0xcc000000u, 0xaa000000u, 0xff000000u,
     0x80800000u, 0xc0c00000u, 0xa0a00000u, 0xf0f00000u, 0x88880000u, 0xcccc0000u, 0xaaaa0000u, 0xffff0000u,
     0x80008000u, 0xc000c000u, 0xa000a000u, 0xf000f000u, 0x88008800u, 0xcc00cc00u, 0xaa00aa00u, 0xff00ff00u,
     0x80808080u, 0xc0c0c0c0u, 0xa0a0a0a0u, 0xf0f0f0f0u, 0x88888888u, 0xccccccccu, 0xaaaaaaaau, 0xffffffffu},
    {0x80000000u, 0xc0000000u, 0x60000000u, 0x90000000u, 0xe8000000u, 0x5c000000u, 0x8e000000u, 0xc5000000u,
     0x68800000u, 0x9cc00000u, 0xee600000u, 0x55900000u, 0x80680000u, 0xc09c0000u, 0x60ee0000u, 0x90550000u,
     0xe8808000u, 0x5cc0c000u, 0x8e606000u, 0xc5909000u, 0x6868e800u, 0x9c9c5c00u, 0xeeee8e00u, 0x5555c500u,
     0x8000e880u, 0xc0005cc0u, 0x60008e60u, 0x9000c590u, 0xe8006868u, 0x5c009c9cu, 0x8e00eeeeu, 0xc5005555u},
    {0x80000000u, 0xc0000000u, 0x20000000u, 0x50000000u, 0xf8000000u, 0x74000000u, 0xa2000000u, 0x93000000u,
     0xd8800000u, 0x25400000u, 0x59e00000u, 0xe6d00000u, 0x78080000u, 0xb40c0000u, 0x82020000u, 0xc3050000u,
     0x208f8000u, 0x51474000u, 0xfbea2000u, 0x75d93000u, 0xa0858800u, 0x914e5400u, 0xdbe79e00u, 0x25db6d00u,
     0x58800080u, 0xe54000c0u, 0x79e00020u, 0xb6d00050u, 0x800800f8u, 0xc00c0074u, 0x200200a2u, 0x50050093u},
};

static inline uint64_t dx_mix64(uint64_t z) {
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// A keyed random permutation of 0…l−1: a four-round balanced Feistel network on the smallest even number of bits
/// that holds l, its round function the SplitMix64 finaliser of (half, key, round) — a pseudo-random permutation
/// (Luby & Rackoff 1988) — cycle-walked into [0, l) (Black & Rogaway 2002): at most four rounds a walk on average.
/// (Kensler's cheaper hashed permutation was tried first: for some keys two coordinates' permutations were correlated,
/// which biased the mean of a product of inputs by five standard errors.)
static inline uint32_t dx_permute(uint32_t i, uint32_t l, uint64_t key) {
    if (l <= 1) return 0;
    int bits = 64 - __builtin_clzll((uint64_t)(l - 1));
    if (bits < 2) bits = 2;
    bits += bits & 1;
    const int half = bits / 2;
    const uint64_t mask = (1ULL << half) - 1;
    /* Round keys need no mixing of their own: the round function mixes (half ^ round key) fully. */
    const uint64_t keys[4] = {key, key + 0x9E3779B97F4A7C15ULL, key + 0x3C6EF372FE94F82AULL, key + 0xDAA66D2C7DDF743FULL};
    uint64_t x = i;
    do {
        uint64_t left = x >> half, right = x & mask;
        for (int round = 0; round < 4; round++) {
            uint64_t f = dx_mix64(right ^ keys[round]) & mask;
            uint64_t next = left ^ f;
            left = right;
            right = next;
        }
        x = (left << half) | right;
    } while (x >= l);
    return (uint32_t)x;
}

static inline uint32_t dx_reverse_bits32(uint32_t x) {
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
    x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
    return (x >> 16) | (x << 16);
}

/// Burley's nested uniform scramble of a 32-bit coordinate: a Laine–Karras permutation of the reversed bits, in
/// which each bit is flipped by a function of the seed and the bits above it.
static inline uint32_t dx_owen_scramble32(uint32_t x, uint32_t seed) {
    x = dx_reverse_bits32(x);
    x += seed;
    x ^= x * 0x6c50b47cu;
    x ^= x * 0xb82f1e52u;
    x ^= x * 0xc7afe638u;
    x ^= x * 0x8d22f6e6u;
    return dx_reverse_bits32(x);
}

/// Sobol' point `index` (natural order) in dimension `d` < 4, as 32 binary digits.
static inline uint32_t dx_sobol4_point(uint32_t index, int d) {
    uint32_t x = 0;
    for (int k = 0; index; index >>= 1, k++) if (index & 1) x ^= dx_sobol4_directions[d][k];
    return x;
}

/// Coordinate `c` of point `i` as 53 bits in [0, 2^53).
static inline uint64_t dx_design_bits(const dx_design_state *s, uint64_t c, uint64_t i) {
    uint32_t n = s->n;
    if (!s->sobol) {
        uint64_t h = dx_mix64(s->key ^ dx_mix64(c));
        uint32_t stratum = dx_permute((uint32_t)i, n, h);
        uint64_t jitter = dx_mix64(h ^ (i * 0xD1B54A32D192ED03ULL + 0x632BE59BD9B4E019ULL)) >> 11;   /* 53 bits */
        /* (stratum + jitter / 2^53) / n, as a 53-bit fraction */
        double u = ((double)stratum + (double)jitter * 0x1.0p-53) / (double)n;
        uint64_t bits = (uint64_t)(u * 0x1.0p53);
        return bits >= (1ULL << 53) ? (1ULL << 53) - 1 : bits;
    }
    uint64_t group = c >> 2;
    int d = (int)(c & 3);
    uint64_t h = dx_mix64(s->key ^ dx_mix64(group + 0x1F83D9ABFB41BD6BULL));
    uint32_t index = dx_permute((uint32_t)i, n, h);
    /* The natural-order index is Gray-coded: point i of Gray-code order is natural point i ^ (i >> 1). */
    uint32_t x = dx_sobol4_point(index ^ (index >> 1), d);
    uint64_t hd = dx_mix64(h ^ (uint64_t)(d + 1) * 0xD1B54A32D192ED03ULL);
    uint32_t y = dx_owen_scramble32(x, (uint32_t)hd);
    /* The 21 digits below the 32 are uniform: the scrambled net refined at random. */
    uint64_t low = dx_mix64(hd ^ (i * 0xD1B54A32D192ED03ULL)) >> 43;
    return ((uint64_t)y << 21) | low;
}

static inline double dx_design_get_double(void *state) {
    dx_design_state *s = state;
    uint64_t c = s->coordinate++;
    return (double)dx_design_bits(s, c, s->point) * 0x1.0p-53;
}

static inline unsigned long dx_design_get(void *state) {
    dx_design_state *s = state;
    uint64_t c = s->coordinate++;
    return (unsigned long)(dx_design_bits(s, c, s->point) >> 21);   /* 32 bits */
}

static inline void dx_design_set(void *state, unsigned long seed) {
    dx_design_state *s = state;
    s->key = dx_mix64((uint64_t)seed);
    s->point = 0;
    s->coordinate = 0;
    if (s->n == 0) s->n = 1;
}

static const gsl_rng_type dx_design_type = {
    "dxmap-design", 0xffffffffUL, 0, sizeof(dx_design_state), &dx_design_set, &dx_design_get, &dx_design_get_double
};

static inline const gsl_rng_type *dx_rng_type_design(void) { return &dx_design_type; }

/// Makes `r` (of type dx_rng_type_design) replicate `replicate` of a design of `n` points under master seed `seed`:
/// Latin hypercube (sobol = 0) or scrambled Sobol' (sobol = 1).
static inline void dx_design_configure(gsl_rng *r, uint64_t seed, uint64_t replicate, uint32_t n, int sobol) {
    dx_design_state *s = (dx_design_state *)gsl_rng_state(r);
    uint64_t key = seed;
    uint64_t k1 = dx_splitmix64(&key);
    key = k1 ^ (replicate * 0x9E6C63D0676A9A99ULL + 0x2545F4914F6CDD1DULL);
    s->key = dx_splitmix64(&key);
    s->n = n == 0 ? 1 : n;
    s->sobol = (uint32_t)(sobol != 0);
    s->point = 0;
    s->coordinate = 0;
}

/// Moves a design generator to point `i` (0 ≤ i < n), coordinate 0.
static inline void dx_design_start(gsl_rng *r, uint64_t i) {
    dx_design_state *s = (dx_design_state *)gsl_rng_state(r);
    s->point = i;
    s->coordinate = 0;
}

/// Coordinate `c` of point `i`, without moving the generator (tests).
static inline double dx_design_value(const gsl_rng *r, uint64_t i, uint64_t c) {
    return (double)dx_design_bits((const dx_design_state *)r->state, c, i) * 0x1.0p-53;
}

#endif

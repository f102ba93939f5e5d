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
    } else {
        gsl_rng_set(r, (unsigned long)dx_splitmix64(&key));
    }
}

#endif

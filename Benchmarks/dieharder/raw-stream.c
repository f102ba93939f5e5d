// Writes a dxmap generator's raw 64-bit outputs to standard output, for dieharder's stdin reader
// (`dieharder -a -g 200`). Usage: raw-stream <generator> [seed] [stream]; generator is mt19937, taus2 or
// xoshiro256starstar. The generator is seeded exactly as dxmap seeds chunk `stream` of master seed `seed`
// (dx_rng_seed_stream in Sources/CGSL/shim.h), so the battery sees the sequence a run draws.
#include "../../Sources/CGSL/shim.h"
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: raw-stream mt19937|taus2|xoshiro256starstar [seed] [stream]\n"); return 2; }
    const gsl_rng_type *type = NULL;
    if (strcmp(argv[1], "mt19937") == 0) type = dx_rng_type_mt19937();
    else if (strcmp(argv[1], "taus2") == 0) type = dx_rng_type_taus2();
    else if (strcmp(argv[1], "xoshiro256starstar") == 0) type = dx_rng_type_xoshiro256();
    else { fprintf(stderr, "raw-stream: unknown generator '%s'\n", argv[1]); return 2; }
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 42, stream = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;
    gsl_rng *r = gsl_rng_alloc(type);
    dx_rng_seed_stream(r, seed, stream);
    // 32-bit generators (mt19937, taus2) give 32 bits a call; write what the generator makes, nothing padded.
    int bytes = gsl_rng_max(r) > 0xffffffffUL ? 8 : 4;
    enum { N = 4096 };
    static unsigned char buffer[N * 8];
    for (;;) {
        for (int i = 0; i < N; i++) {
            uint64_t x = gsl_rng_get(r);
            memcpy(buffer + (size_t)i * bytes, &x, bytes);
        }
        if (fwrite(buffer, bytes, N, stdout) != N) return 0;   // the reader closed the pipe
    }
}

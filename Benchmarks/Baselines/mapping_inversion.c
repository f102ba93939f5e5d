/*
 * The inversion limit for dxmap's mapping model (issue 27): the model of mapping_baseline.c with every input drawn
 * as dxmap draws it by default — one xoshiro256** uniform through each distribution's quantile function, tabulated
 * as cubic Hermite cells in u through exact knots (GSL's _Pinv) with slopes 1/f, exact in the tails (u < 1e-6 or
 * u > 1 − 1e-6) — written as a plain C loop with nothing else: no statistics beyond the totals' sums, no chunks, no
 * threads. The tables here are on an even grid of 8,192 cells (dxmap's are adaptive, to a verified u-error of
 * 1e-10); a lookup costs what dxmap's does (a cell index, a Horner cubic), which is what the limit is for.
 *
 * Usage: mapping_inversion TASKS DRAWS SEED GLOBAL ROLE (the task table of mapping_baseline.c)
 * Output (one line): total_gross_mean total_gross_sd total_npv_mean total_npv_sd
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>

typedef struct { int service, role; double fte, cost, alpha, beta, rho_min, rho_max, impl_mu, impl_sigma, run_shape, run_scale; } Task;

enum { CELLS = 8192 };
static const double TAIL = 1e-6;
typedef struct { double c[CELLS][4]; int family; double a, b; } Table;   /* family 0: normal, 1: beta(a, b), 2: gamma(a) */

static double exact(const Table *t, double u) {
    switch (t->family) {
    case 0: return gsl_cdf_ugaussian_Pinv(u);
    case 1: return gsl_cdf_beta_Pinv(u, t->a, t->b);
    default: return gsl_cdf_gamma_Pinv(u, t->a, 1);
    }
}
static double density(const Table *t, double x) {
    switch (t->family) {
    case 0: return gsl_ran_ugaussian_pdf(x);
    case 1: return gsl_ran_beta_pdf(x, t->a, t->b);
    default: return gsl_ran_gamma_pdf(x, t->a, 1);
    }
}

static void build(Table *t, int family, double a, double b) {
    t->family = family; t->a = a; t->b = b;
    const double h = (1 - 2 * TAIL) / CELLS;
    double u0 = TAIL, x0 = exact(t, u0), s0 = h / density(t, x0);
    for (int k = 0; k < CELLS; k++) {
        double u1 = TAIL + (k + 1) * h, x1 = exact(t, u1), s1 = h / density(t, x1);
        double d = x1 - x0;   /* cubic Hermite in t ∈ [0, 1]: x0 + s0 t + (3d − 2s0 − s1) t² + (s0 + s1 − 2d) t³ */
        t->c[k][0] = x0; t->c[k][1] = s0; t->c[k][2] = 3 * d - 2 * s0 - s1; t->c[k][3] = s0 + s1 - 2 * d;
        u0 = u1; x0 = x1; s0 = s1;
    }
}

static inline double lookup(const Table *t, double u) {
    double p = (u - TAIL) * (CELLS / (1 - 2 * TAIL));
    if (!(p >= 0 && p < CELLS)) return exact(t, u);
    int k = (int)p;
    double s = p - k;
    const double *c = t->c[k];
    return c[0] + s * (c[1] + s * (c[2] + s * c[3]));
}

static uint64_t st[4];
static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static inline double uniform_pos(void) {   /* xoshiro256**, top 53 bits, never 0 */
    for (;;) {
        const uint64_t r = rotl(st[1] * 5, 7) * 9, t = st[1] << 17;
        st[2] ^= st[0]; st[3] ^= st[1]; st[1] ^= st[2]; st[0] ^= st[3]; st[2] ^= t; st[3] = rotl(st[3], 45);
        double u = (double)(r >> 11) * 0x1.0p-53;
        if (u > 0) return u;
    }
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: %s TASKS DRAWS SEED GLOBAL ROLE\n", argv[0]); return 2; }
    FILE *f = fopen(argv[1], "r");
    if (!f) { perror(argv[1]); return 1; }
    long draws = atol(argv[2]);
    uint64_t seed = strtoull(argv[3], NULL, 10);
    double g = atof(argv[4]), r = atof(argv[5]);
    int n = 0, cap = 1024, services = 0, roles = 0;
    Task *tasks = malloc(sizeof(Task) * cap);
    Task t;
    while (fscanf(f, "%d %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %d", &t.service, &t.fte, &t.cost, &t.alpha, &t.beta,
                  &t.rho_min, &t.rho_max, &t.impl_mu, &t.impl_sigma, &t.run_shape, &t.run_scale, &t.role) == 12) {
        if (n == cap) tasks = realloc(tasks, sizeof(Task) * (cap *= 2));
        tasks[n++] = t;
        if (t.service + 1 > services) services = t.service + 1;
        if (t.role + 1 > roles) roles = t.role + 1;
    }
    fclose(f);
    gsl_set_error_handler_off();
    for (int i = 0; i < 4; i++) {   /* SplitMix64 over the state */
        uint64_t z = (seed += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL; z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        st[i] = z ^ (z >> 31);
    }
    /* One table per role's beta (tasks of a role share it), one for the normal (lognormal, copula), one gamma. */
    Table *normal = malloc(sizeof(Table)), *gamma = malloc(sizeof(Table)), *beta = malloc(sizeof(Table) * roles);
    build(normal, 0, 0, 0);
    build(gamma, 2, tasks[0].run_shape, 0);
    for (int k = 0; k < roles; k++) {
        for (int i = 0; i < n; i++) if (tasks[i].role == k) { build(&beta[k], 1, tasks[i].alpha, tasks[i].beta); break; }
    }
    double cumulative[3] = {0.3, 0.8, 1.0};
    double annuity[4], discount[4];
    for (int a = 1; a <= 3; a++) {
        discount[a] = pow(1.03, -a);
        annuity[a] = 0;
        for (int y = a; y <= 5; y++) annuity[a] += pow(1.03, -y);
    }
    int correlated = g > 0 || r > 0;
    double sg = sqrt(g), sr = sqrt(r), se = sqrt(1 - g - r);
    double *service_gross = calloc(services, sizeof(double)), *service_npv = calloc(services, sizeof(double));
    double *zr = calloc(roles, sizeof(double));
    double sum_g = 0, sum_g2 = 0, sum_n = 0, sum_n2 = 0;
    for (long d = 0; d < draws; d++) {
        double zg = 0;
        if (correlated) {
            zg = lookup(normal, uniform_pos());
            for (int k = 0; k < roles; k++) zr[k] = lookup(normal, uniform_pos());
        }
        for (int s = 0; s < services; s++) service_gross[s] = service_npv[s] = 0;
        for (int i = 0; i < n; i++) {
            const Task *k = &tasks[i];
            double u = uniform_pos();
            if (correlated) u = gsl_cdf_ugaussian_P(sg * zg + sr * zr[k->role] + se * lookup(normal, u));
            double theta = lookup(&beta[k->role], u);
            double rho = k->rho_min + (k->rho_max - k->rho_min) * uniform_pos();
            double impl = exp(k->impl_mu + k->impl_sigma * lookup(normal, uniform_pos()));
            double run = k->run_scale * lookup(gamma, uniform_pos());
            double v = uniform_pos();
            int a = v <= cumulative[0] ? 1 : v <= cumulative[1] ? 2 : 3;
            double gross = theta * rho * k->fte * k->cost;
            double npv = (gross - run) * annuity[a] - impl * discount[a];
            service_gross[k->service] += gross;
            service_npv[k->service] += npv;
        }
        double total_g = 0, total_n = 0;
        for (int s = 0; s < services; s++) { total_g += service_gross[s]; total_n += service_npv[s]; }
        sum_g += total_g; sum_g2 += total_g * total_g;
        sum_n += total_n; sum_n2 += total_n * total_n;
    }
    double mg = sum_g / draws, mn = sum_n / draws;
    printf("%.17g %.17g %.17g %.17g\n", mg, sqrt((sum_g2 - draws * mg * mg) / (draws - 1)), mn,
           sqrt((sum_n2 - draws * mn * mn) / (draws - 1)));
    return 0;
}

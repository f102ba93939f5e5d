/*
 * The C + GSL baseline for dxmap's mapping model: the same families, the same
 * GSL calls and generator (mt19937), the same aggregation to services, written
 * as a plain loop. It is the speed limit the engine is measured against.
 *
 * Input: a task table from Benchmarks/compare.py (one line per task:
 *   service fte cost alpha beta rho_min rho_max impl_mu impl_sigma run_shape run_scale role).
 * Usage: mapping_baseline TASKS DRAWS SEED GLOBAL ROLE
 * Output (one line): total_gross_mean total_gross_sd total_npv_mean total_npv_sd
 * Model per task and draw (horizon 5, discount 3%, adoption year 1/2/3 with
 * weights 0.3/0.5/0.2): theta ~ Beta (through the Gaussian copula when GLOBAL or
 * ROLE > 0), rho ~ U, I ~ lognormal, C ~ gamma, G = theta*rho*fte*cost,
 * NPV = (G − C)·annuity(a) − I·discount(a); per-service sums of G and NPV.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

typedef struct { int service, role; double fte, cost, alpha, beta, rho_min, rho_max, impl_mu, impl_sigma, run_shape, run_scale; } Task;

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: %s TASKS DRAWS SEED GLOBAL ROLE\n", argv[0]); return 2; }
    FILE *f = fopen(argv[1], "r");
    if (!f) { perror(argv[1]); return 1; }
    long draws = atol(argv[2]);
    unsigned long seed = strtoul(argv[3], NULL, 10);
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
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    double weights[3] = {0.3, 0.5, 0.2};
    gsl_ran_discrete_t *years = gsl_ran_discrete_preproc(3, weights);
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
    double sum_g = 0, sum_g2 = 0, sum_n = 0, sum_n2 = 0, service_mean_sum = 0;
    for (long d = 0; d < draws; d++) {
        double zg = 0;
        if (correlated) {
            zg = gsl_ran_gaussian_ziggurat(rng, 1.0);
            for (int k = 0; k < roles; k++) zr[k] = gsl_ran_gaussian_ziggurat(rng, 1.0);
        }
        for (int s = 0; s < services; s++) service_gross[s] = service_npv[s] = 0;
        for (int i = 0; i < n; i++) {
            const Task *k = &tasks[i];
            double theta;
            if (correlated) {
                double z = sg * zg + sr * zr[k->role] + se * gsl_ran_gaussian_ziggurat(rng, 1.0);
                theta = gsl_cdf_beta_Pinv(gsl_cdf_ugaussian_P(z), k->alpha, k->beta);
            } else {
                theta = gsl_ran_beta(rng, k->alpha, k->beta);
            }
            double rho = gsl_ran_flat(rng, k->rho_min, k->rho_max);
            double impl = gsl_ran_lognormal(rng, k->impl_mu, k->impl_sigma);
            double run = gsl_ran_gamma(rng, k->run_shape, k->run_scale);
            int a = 1 + (int)gsl_ran_discrete(rng, years);
            double gross = theta * rho * k->fte * k->cost;
            double npv = (gross - run) * annuity[a] - impl * discount[a];
            service_gross[k->service] += gross;
            service_npv[k->service] += npv;
        }
        double total_g = 0, total_n = 0;
        for (int s = 0; s < services; s++) { total_g += service_gross[s]; total_n += service_npv[s]; service_mean_sum += service_npv[s]; }
        sum_g += total_g; sum_g2 += total_g * total_g;
        sum_n += total_n; sum_n2 += total_n * total_n;
    }
    double mg = sum_g / draws, mn = sum_n / draws;
    printf("%.17g %.17g %.17g %.17g\n", mg, sqrt((sum_g2 - draws * mg * mg) / (draws - 1)), mn,
           sqrt((sum_n2 - draws * mn * mn) / (draws - 1)));
    (void)service_mean_sum;
    return 0;
}

"""The NumPy baseline for dxmap's mapping model: the same model as
mapping_baseline.c, vectorised the way an economist would write it (draws in
blocks, tasks along the second axis). Correlated automation shares use the
Gaussian copula with SciPy's beta quantile.

Usage: python3 mapping_numpy.py TASKS DRAWS SEED GLOBAL ROLE
Output (one line): total_gross_mean total_gross_sd total_npv_mean total_npv_sd
"""
import sys

import numpy as np


def main():
    path, draws, seed, g, r = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
    t = np.loadtxt(path, ndmin=2)
    service, fte, cost, alpha, beta = t[:, 0].astype(int), t[:, 1], t[:, 2], t[:, 3], t[:, 4]
    rho_min, rho_max, impl_mu, impl_sigma, run_shape, run_scale, role = t[:, 5], t[:, 6], t[:, 7], t[:, 8], t[:, 9], t[:, 10], t[:, 11].astype(int)
    n, services, roles = len(t), service.max() + 1, role.max() + 1
    years = np.array([1, 2, 3])
    discount = 1.03 ** -years.astype(float)
    annuity = np.array([sum(1.03 ** -y for y in range(a, 6)) for a in years])
    rng = np.random.default_rng(seed)
    labour = fte * cost
    onehot = np.zeros((n, services)); onehot[np.arange(n), service] = 1
    block = max(1, 2_000_000 // n)
    totals_g, totals_n = [], []
    done = 0
    while done < draws:
        m = min(block, draws - done)
        if g > 0 or r > 0:
            from scipy.special import betaincinv, ndtr
            z = (np.sqrt(g) * rng.standard_normal((m, 1)) + np.sqrt(r) * rng.standard_normal((m, roles))[:, role]
                 + np.sqrt(1 - g - r) * rng.standard_normal((m, n)))
            theta = betaincinv(alpha, beta, ndtr(z))
        else:
            theta = rng.beta(alpha, beta, size=(m, n))
        rho = rng.uniform(rho_min, rho_max, size=(m, n))
        impl = rng.lognormal(impl_mu, impl_sigma, size=(m, n))
        run = rng.gamma(run_shape, run_scale, size=(m, n))
        a = rng.choice(3, size=(m, n), p=[0.3, 0.5, 0.2])
        gross = theta * rho * labour
        npv = (gross - run) * annuity[a] - impl * discount[a]
        # Aggregate to services (a one-hot matrix product), then to the total, as the engine does.
        service_gross, service_npv = gross @ onehot, npv @ onehot
        totals_g.append(service_gross.sum(axis=1)); totals_n.append(service_npv.sum(axis=1))
        done += m
    tg, tn = np.concatenate(totals_g), np.concatenate(totals_n)
    print(f"{tg.mean():.17g} {tg.std(ddof=1):.17g} {tn.mean():.17g} {tn.std(ddof=1):.17g}")


if __name__ == "__main__":
    main()

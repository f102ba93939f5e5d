"""The peer of `dxmap sweep` in `make compare`: Scenarios/closed-form.yaml written
as a NumPy model for the EMA Workbench, vectorised over draws, keeping the same
statistics per output as dxmap (mean, sd, p5, p50, p95), and its closed-form
means. The figures mirror the scenario file; compare_sweep.py checks both
programs against `closed_form` at every point, which also catches the two
drifting apart.
"""
import numpy as np

HORIZON, RATE = 5, 0.03
ANNUITY = sum((1 + RATE) ** -y for y in range(1, HORIZON + 1))   # adoption in year 1
DISCOUNT = (1 + RATE) ** -1
# role: (cost per FTE, automation beta mean, sd)
ROLES = {"clerk": (32000.0, 0.5, 0.1), "inspector": (45000.0, 0.25, 0.08)}
# service, role, fte, realisation uniform (min, max), implementation lognormal (mu, sigma), running gamma (shape, scale)
TASKS = [("registry", "clerk", 40.0, (0.6, 1.0), (12.5, 0.4), (4.0, 5000.0)),
         ("registry", "inspector", 12.0, (0.5, 0.9), (11.8, 0.5), (6.25, 800.0)),
         ("inspections", "inspector", 25.0, (0.4, 0.8), (12.0, 0.6), (2.0, 4000.0))]
# dxmap's output names, and the EMA outcome name of each statistic.
OUTPUTS = ["service[registry].gross_saving", "service[inspections].gross_saving", "total.npv"]
KEYS = ["registry_gross", "inspections_gross", "total_npv"]
STATISTICS = ["mean", "sd", "p5", "p50", "p95"]
OUTCOMES = [f"{k}_{s}" for k in KEYS for s in STATISTICS]


def roles(pay, clerk_automation):
    r = dict(ROLES)
    r["clerk"] = (ROLES["clerk"][0], clerk_automation, ROLES["clerk"][2])
    return {name: (cost * pay, mean, sd) for name, (cost, mean, sd) in r.items()}


def closed_form(pay, clerk_automation):
    """E[output] at a point: E[G] = E[θ]E[ρ]·fte·cost, E[NPV] = (E[G] − E[C])·annuity − E[I]·discount."""
    r = roles(pay, clerk_automation)
    gross = {"registry": 0.0, "inspections": 0.0}
    npv = 0.0
    for service, role, fte, (lo, hi), (mu, sigma), (shape, scale) in TASKS:
        cost, mean, _ = r[role]
        g = mean * (lo + hi) / 2 * fte * cost
        gross[service] += g
        npv += (g - shape * scale) * ANNUITY - np.exp(mu + sigma ** 2 / 2) * DISCOUNT
    return [gross["registry"], gross["inspections"], npv]


def model(pay=1.0, clerk_automation=0.5, draws=200_000):
    """One point: `draws` draws of every task, summed to services and the total; five statistics per output."""
    # A point's stream follows from its values, so a rerun gives the same numbers.
    rng = np.random.default_rng([int(pay * 2 ** 52), int(clerk_automation * 2 ** 52)])
    r = roles(pay, clerk_automation)
    gross = {"registry": np.zeros(draws), "inspections": np.zeros(draws)}
    npv = np.zeros(draws)
    for service, role, fte, (lo, hi), (mu, sigma), (shape, scale) in TASKS:
        cost, mean, sd = r[role]
        k = mean * (1 - mean) / sd ** 2 - 1
        theta = rng.beta(mean * k, (1 - mean) * k, draws)
        g = theta * rng.uniform(lo, hi, draws) * (fte * cost)
        gross[service] += g
        npv += (g - rng.gamma(shape, scale, draws)) * ANNUITY - rng.lognormal(mu, sigma, draws) * DISCOUNT
    result = {}
    for key, x in zip(KEYS, [gross["registry"], gross["inspections"], npv]):
        p5, p50, p95 = np.percentile(x, [5, 50, 95])
        result.update({f"{key}_mean": x.mean(), f"{key}_sd": x.std(ddof=1), f"{key}_p5": p5, f"{key}_p50": p50, f"{key}_p95": p95})
    return result

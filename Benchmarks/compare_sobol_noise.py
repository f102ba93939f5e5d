"""Sobol indices of a sweep whose indices are known in closed form, at few draws a point: the noise common random
numbers leave in each point's mean, by inversion (the default) against GSL's samplers (gsl-direct).

The sweep is Scenarios/sweeps/peer-benchmark.yaml with pay widened so that both parameters matter (every role's pay
p ~ U(0.6, 1.4), the clerks' mean automation share m ~ U(0.3, 0.7)) on Scenarios/closed-form.yaml. Each point's expected gross saving is p·(a·m + b), for the
registry a = 0.8·40·32,000 and b = 0.25·0.7·12·45,000, for the total NPV (times the annuity, less constants) b also
has 0.25·0.6·25·45,000; so for f = p·g(m):
  V_p = E[g]²·Var p,  V_m = Var g,  Var f = E[p²]·E[g²] − E[g]²,  ST_p = 1 − V_m / Var f,  ST_m = 1 − V_p / Var f.
The script runs `dxmap sensitivity --method sobol --base 1024` (4,096 points) at 4,000 draws a point with each
sampler, and prints each index's error against these.

Usage: python3 Benchmarks/compare_sobol_noise.py DXMAP [--quick]
"""
import csv, os, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SWEEP = os.path.join(ROOT, "Scenarios", "sweeps", "peer-benchmark.yaml")


def exact(b):
    a = 0.8 * 40 * 32000
    var_p, e_p2 = 0.8 ** 2 / 12, 1 + 0.8 ** 2 / 12
    e_m, var_m = 0.5, 0.4 ** 2 / 12
    e_g, var_g = a * e_m + b, a * a * var_m
    var_f = e_p2 * (var_g + e_g ** 2) - e_g ** 2
    v_p, v_m = e_g ** 2 * var_p, var_g
    return {("pay", "S1"): v_p / var_f, ("clerk-automation", "S1"): v_m / var_f,
            ("pay", "ST"): 1 - v_m / var_f, ("clerk-automation", "ST"): 1 - v_p / var_f}


TRUTH = {"service[registry].gross_saving": exact(0.25 * 0.7 * 12 * 45000),
         "total.npv": exact(0.25 * 0.7 * 12 * 45000 + 0.25 * 0.6 * 25 * 45000)}


def study(dxmap, directory, sampler, draws, base):
    text = open(SWEEP).read()
    text = text.replace("scenario: ../closed-form.yaml", f"scenario: {os.path.join(ROOT, 'Scenarios', 'closed-form.yaml')}")
    text = text.replace("draws: 200000", f"draws: {draws}\nsampling: {{ sampler: {sampler} }}")
    assert "scale: { min: 0.9, max: 1.1 }" in text
    text = text.replace("scale: { min: 0.9, max: 1.1 }", "scale: { min: 0.6, max: 1.4 }")
    path = os.path.join(directory, f"sobol-{sampler}-{draws}.yaml")
    open(path, "w").write(text)
    out, db = os.path.join(directory, f"out-{sampler}-{draws}"), os.path.join(directory, f"{sampler}-{draws}.sqlite")
    started = time.time()
    subprocess.run([dxmap, "sensitivity", path, "--method", "sobol", "--base", str(base), "--db", db, "--out", out, "--jobs", "2"],
                   check=True, capture_output=True)
    seconds = time.time() - started
    errors = {}
    for r in csv.DictReader(open(os.path.join(out, "sensitivity.csv"))):
        key = (r["parameter"], r["index"])
        if r["output"] in TRUTH and key in TRUTH[r["output"]]:
            errors[(r["output"],) + key] = float(r["value"]) - TRUTH[r["output"]][key]
    return errors, seconds


def main():
    dxmap = os.path.abspath(sys.argv[1])
    quick = "--quick" in sys.argv
    base = 256 if quick else 1024
    runs = [("inversion", 4000), ("gsl-direct", 4000)] + ([] if quick else [("gsl-direct", 40000)])
    print(f"Sobol indices of peer-benchmark.yaml (pay 0.6–1.4) against the closed form: base {base} ({base * 4:,} points), --jobs 2")
    with tempfile.TemporaryDirectory() as directory:
        results = {(s, d): study(dxmap, directory, s, d, base) for s, d in runs}
    keys = sorted(next(iter(results.values()))[0])
    print(f"{'output':<32} {'parameter':<17} {'index':<5} {'exact':>7} " + " ".join(f"{s + ' @' + format(d, ','):>18}" for s, d in runs))
    for k in keys:
        truth = TRUTH[k[0]][k[1:]]
        print(f"{k[0]:<32} {k[1]:<17} {k[2]:<5} {truth:>7.4f} " + " ".join(f"{results[r][0][k]:>+18.4f}" for r in runs))
    for r in runs:
        worst = max(abs(e) for e in results[r][0].values())
        print(f"{r[0]} at {r[1]:,} draws a point: largest |error| {worst:.4f}, {results[r][1]:.0f} s")


if __name__ == "__main__":
    main()

"""Side-by-side comparison of dxmap's mapping engine with a C + GSL loop and
NumPy, on generated scenarios of 100, 1,000 and 10,000 tasks, with and
without copula correlation. Checks that all compute the same thing (total
means agree within Monte Carlo error), then prints throughput (tasks × draws
per second), the ratios dxmap/C and dxmap/NumPy, peak memory, the 2-thread
speed-up, the memory growth from 10,000 to 1,000,000 draws and the fitted
exponent of cost in tasks × draws.

Usage: python3 Benchmarks/compare.py DXMAP [--quick]
"""
import csv, json, math, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def generate(n, directory, correlated):
    """One scenario: n tasks in 50 services of 5 organisations, 20 roles; the same model in YAML and as a task table."""
    import random
    rnd = random.Random(n)
    roles = [(0.1 + 0.04 * r, 30000 + 1000 * r) for r in range(20)]
    yaml = ["dxmap: 1", f"name: generated {n} tasks", "horizon: 5", "discount_rate: 0.03",
            f"correlation: {{ global: {0.3 if correlated else 0}, role: {0.2 if correlated else 0} }}", "organisations:"]
    yaml += [f"  - {{ id: o{o} }}" for o in range(5)] + ["roles:"]
    rows = []
    for r, (mean, cost) in enumerate(roles):
        nu = mean * (1 - mean) / 0.05 ** 2 - 1
        yaml.append(f"  - {{ id: r{r}, cost_per_fte: {cost}, automation: {{ beta: {{ alpha: {mean * nu!r}, beta: {(1 - mean) * nu!r} }} }} }}")
    yaml.append("services:")
    per = n // 50
    for s in range(50):
        yaml += [f"  - id: s{s}", f"    organisation: o{s % 5}", "    tasks:"]
        for k in range(per):
            r = (s + k) % 20
            fte = rnd.randint(1, 100)
            yaml.append(f"      - {{ id: t{k}, role: r{r}, fte: {fte}, realisation: {{ uniform: {{ min: 0.5, max: 1.0 }} }}, "
                        f"implementation_cost: {{ lognormal: {{ mu: 10.5, sigma: 0.7 }} }}, running_cost: {{ gamma: {{ shape: 6.25, scale: 800 }} }}, "
                        f"adoption_year: {{ discrete: {{ values: [1, 2, 3], weights: [0.3, 0.5, 0.2] }} }} }}")
            mean, cost = roles[r]
            nu = mean * (1 - mean) / 0.05 ** 2 - 1
            rows.append(f"{s} {fte} {cost} {mean * nu!r} {(1 - mean) * nu!r} 0.5 1.0 10.5 0.7 6.25 800 {r}")
    name = f"{n}{'c' if correlated else ''}"
    with open(os.path.join(directory, f"s{name}.yaml"), "w") as f: f.write("\n".join(yaml) + "\n")
    with open(os.path.join(directory, f"s{name}.tsv"), "w") as f: f.write("\n".join(rows) + "\n")
    return os.path.join(directory, f"s{name}.yaml"), os.path.join(directory, f"s{name}.tsv")


def timed(command):
    """(output, seconds, peak MB) of a command, via GNU time."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + command, capture_output=True, text=True, check=True)
    seconds, kb = out.stderr.strip().splitlines()[-1].split()
    return out.stdout, float(seconds), int(kb) / 1024


engine_seconds = {}   # (scenario, draws, threads) → the engine's own wall time (run.json), without parsing and writing


def dxmap_run(dxmap, yaml, draws, threads, directory, sampler="inversion"):
    out_dir = os.path.join(directory, "out")
    _, seconds, mb = timed([dxmap, "map", yaml, "--draws", str(draws), "--threads", str(threads), "--out", out_dir, "--format", "csv",
                            "--sampler", sampler])
    total = {r["metric"]: r for r in csv.DictReader(open(os.path.join(out_dir, "summary.csv"))) if r["level"] == "total"}
    if sampler == "inversion":
        engine_seconds[(yaml, draws, threads)] = json.load(open(os.path.join(out_dir, "run.json")))["wall_time_seconds"]
    return (float(total["gross_saving"]["mean"]), float(total["gross_saving"]["sd"]), float(total["npv"]["mean"]), float(total["npv"]["sd"])), seconds, mb


def main():
    dxmap = os.path.abspath(sys.argv[1])
    quick = "--quick" in sys.argv
    directory = tempfile.mkdtemp(prefix="dxmap-compare-")
    baseline = os.path.join(directory, "mapping_baseline")
    subprocess.run(["gcc", "-O2", "-o", baseline, os.path.join(HERE, "Baselines", "mapping_baseline.c"), "-lgsl", "-lgslcblas", "-lm"], check=True)
    inversion = os.path.join(directory, "mapping_inversion")
    subprocess.run(["gcc", "-O2", "-o", inversion, os.path.join(HERE, "Baselines", "mapping_inversion.c"), "-lgsl", "-lgslcblas", "-lm"], check=True)
    budget = 2_000_000 if quick else 20_000_000       # tasks × draws per uncorrelated run
    rows, agree, fit = [], True, []
    print("dxmap's default (inversion, xoshiro256**) and --sampler gsl-direct (GSL's samplers, mt19937); 'vs C' is against the C loop")
    print("on GSL's samplers, 'vs C inv' against the C loop that inverts through tables as dxmap does (the new limit)")
    print(f"{'tasks':>6} {'copula':>6} {'draws':>8}  {'method':<17} {'seconds':>8} {'tasks·draws/s':>14} {'vs C':>6} {'vs C inv':>8} {'vs NumPy':>8} {'peak MB':>8}")
    for n in [100, 1000, 10000]:
        for correlated in [False, True]:
            yaml, tsv = generate(n, directory, correlated)
            draws = max(200, (budget // (6 if correlated else 1)) // n)
            g, r = ("0.3", "0.2") if correlated else ("0", "0")
            results = {}
            for label, command in [("C + GSL", [baseline, tsv, str(draws), "7", g, r]), ("C inversion", [inversion, tsv, str(draws), "7", g, r]),
                                   ("NumPy", [sys.executable, os.path.join(HERE, "Baselines", "mapping_numpy.py"), tsv, str(draws), "7", g, r])]:
                out, seconds, mb = timed(command)
                results[label] = (tuple(map(float, out.split())), seconds, mb)
            for threads in [1, 2]:
                results[f"dxmap {threads} thread{'s' if threads > 1 else ''}"] = dxmap_run(dxmap, yaml, draws, threads, directory)
            # GSL's samplers, the default of earlier releases.
            for threads in [1, 2]:
                results[f"dxmap gsl-direct {threads}t"] = dxmap_run(dxmap, yaml, draws, threads, directory, sampler="gsl-direct")
            # All four compute the same model: total means agree within Monte Carlo error.
            (cg, cgs, cn, cns), _, _ = results["C + GSL"]
            for label, ((mg, mgs, mn, mns), _, _) in results.items():
                for a, asd, b, bsd in [(mg, mgs, cg, cgs), (mn, mns, cn, cns)]:
                    if abs(a - b) > 4.5 * math.sqrt((asd ** 2 + bsd ** 2) / draws):
                        agree = False
                        print(f"  MEANS DISAGREE: {label} {a} vs C {b}")
            c_rate = n * draws / results["C + GSL"][1]
            inversion_rate = n * draws / results["C inversion"][1]
            numpy_rate = n * draws / results["NumPy"][1]
            for label, (_, seconds, mb) in results.items():
                rate = n * draws / seconds
                print(f"{n:>6} {'yes' if correlated else 'no':>6} {draws:>8}  {label:<17} {seconds:>8.2f} {rate:>14.3g} {rate / c_rate:>6.2f} "
                      f"{rate / inversion_rate:>8.2f} {rate / numpy_rate:>8.2f} {mb:>8.0f}")
                rows.append((n, correlated, label, rate, mb))
            if not correlated:
                fit.append((n * draws, results["dxmap 1 thread"][1]))
    # Memory growth with draws (streaming statistics): 1,000-task scenario, 10,000 vs 1,000,000 draws.
    yaml, _ = generate(100, directory, False)
    _, s_small, mb_small = dxmap_run(dxmap, yaml, 10_000, 2, directory)
    _, s_large, mb_large = dxmap_run(dxmap, yaml, 100_000 if quick else 1_000_000, 2, directory)
    print(f"\npeak memory, 100 tasks: {mb_small:.0f} MB at 10,000 draws, {mb_large:.0f} MB at {'100,000' if quick else '1,000,000'} draws: ratio {mb_large / mb_small:.2f}")
    # Speed-up on 2 cores, and the exponent of cost in tasks × draws (fixed work per run, so time ~ work^b).
    for n in [100, 1000, 10000]:
        for correlated in [False, True]:
            one = next(r[3] for r in rows if r[0] == n and r[1] == correlated and r[2] == "dxmap 1 thread")
            two = next(r[3] for r in rows if r[0] == n and r[1] == correlated and r[2] == "dxmap 2 threads")
            draws = max(200, (budget // (6 if correlated else 1)) // n)
            engine = {t: s for (y, d, t), s in engine_seconds.items() if d == draws and y.endswith(f"s{n}{'c' if correlated else ''}.yaml")}
            print(f"speed-up on 2 threads, {n} tasks{', copula' if correlated else ''}: whole command {two / one:.2f}, "
                  f"engine alone {engine[1] / engine[2]:.2f}")
    # Same work at every size: a cost linear in tasks × draws shows as equal times; report the slope of log time on log tasks.
    xs = [math.log(n) for n in [100, 1000, 10000]]
    ys = [math.log(t / w) for (w, t) in fit]
    slope = (ys[2] - ys[0]) / (xs[2] - xs[0])
    print(f"cost per task·draw from 100 to 10,000 tasks grows as tasks^{slope:.3f} (0 = linear in tasks × draws; exponent of cost in tasks × draws ≈ {1 + slope:.3f})")
    print("means agree within Monte Carlo error: " + ("yes" if agree else "NO"))
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()

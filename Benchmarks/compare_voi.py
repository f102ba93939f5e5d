"""dxmap voi side by side with R's mgcv GAM, the regression the R packages voi and BCEA estimate EVPPI with, on the
bundled pilot example (Scenarios/italian-registry-pilot.yaml): dxmap writes every draw's inputs and NPVs
(--write-draws), R fits a penalised cubic regression spline (s(x, bs="cr"), smoothness by GCV) of each decision's
net benefit on each single input, and the two EVPPIs are compared: they must agree within 5% or within dxmap's
standard error for every decision and input. Prints both, and the time
each took for all of them.

Usage: python3 Benchmarks/compare_voi.py DXMAP [--quick]
"""
import csv, os, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "Scenarios", "italian-registry-pilot.yaml")


def main():
    dxmap, quick = sys.argv[1], "--quick" in sys.argv
    draws = "5000" if quick else "10000"
    work = tempfile.mkdtemp(prefix="compare-voi-")
    started = time.perf_counter()
    subprocess.run([dxmap, "voi", SCENARIO, "--draws", draws, "--out", work, "--write-draws", "--format", "csv"],
                   check=True, capture_output=True, text=True)
    dx_seconds = time.perf_counter() - started
    ours = {(r["decision"], r["input"]): (float(r["value"]), float(r["se"]))
            for r in csv.DictReader(open(os.path.join(work, "voi.csv"))) if r["section"] == "evppi" and r["kind"] == "task input"}
    r_out = os.path.join(work, "mgcv.csv")
    r_run = subprocess.run(["Rscript", os.path.join(ROOT, "Benchmarks", "Baselines", "evppi_mgcv.R"), os.path.join(work, "draws.csv"), r_out],
                           check=True, capture_output=True, text=True)
    r_seconds = float(r_run.stdout.strip().splitlines()[-1])
    theirs = {(r["decision"], r["input"]): float(r["evppi"]) for r in csv.DictReader(open(r_out))}
    failures, rows = [], []
    for key, mgcv in sorted(theirs.items(), key=lambda kv: -kv[1]):
        if key not in ours:
            failures.append(f"{key}: mgcv has it, dxmap does not")
            continue
        value, se = ours[key]
        tolerance = max(0.05 * abs(mgcv), se)
        ok = abs(value - mgcv) <= tolerance
        rows.append((key[0], key[1], value, se, mgcv, ok))
        if not ok:
            failures.append(f"{key[0]} / {key[1]}: dxmap {value:.4g} ± {se:.2g}, mgcv {mgcv:.4g}")
    print(f"EVPPI per decision and single input, {SCENARIO.split('/')[-1]}, {draws} draws")
    print(f"{'decision':<22} {'input':<52} {'dxmap':>10} {'se':>9} {'mgcv':>10}  agree")
    for d, i, v, se, m, ok in rows:
        print(f"{d:<22} {i:<52} {v:>10.4g} {se:>9.2g} {m:>10.4g}  {'yes' if ok else 'NO'}")
    print(f"\n{len(rows)} EVPPIs; agree within 5% or 1 SE: {sum(r[5] for r in rows)} of {len(rows)}")
    print(f"time for all of them: dxmap voi {dx_seconds:.2f} s (sampling, every EVPPI with its SE, the role groups, the pilot's "
          f"EVSI and the files); mgcv {r_seconds:.2f} s (the single-input GAM fits alone); ratio {r_seconds / dx_seconds:.1f}x")
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

"""The Python package against the real dxmap binary (DXMAP_BIN, or the repository's build)."""

from __future__ import annotations

import json
import os
import stat
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

import dxmap
from dxmap._run import arguments

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "Scenarios"


def test_keywords_become_flags():
    assert arguments(draws=10, x_threshold="ons-high", task_percentiles=True, wide=False, policy=["a", "b"], out=None) == [
        "--draws", "10", "--x-threshold", "ons-high", "--task-percentiles", "--policy", "a", "--policy", "b"]


def test_binary_search_says_what_to_do(tmp_path, monkeypatch):
    not_executable = tmp_path / "dxmap"
    not_executable.write_text("")
    with pytest.raises(dxmap.BinaryNotFound, match="not an executable file"):
        dxmap.find_binary(str(not_executable))
    monkeypatch.setenv("DXMAP_BIN", str(tmp_path / "missing"))
    with pytest.raises(dxmap.BinaryNotFound, match="DXMAP_BIN"):
        dxmap.find_binary()
    monkeypatch.delenv("DXMAP_BIN")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(dxmap._binary, "_repository_builds", lambda: [])
    with pytest.raises(dxmap.BinaryNotFound, match="make build"):
        dxmap.find_binary()


def test_map_gives_dataframes_and_the_run_record():
    m = dxmap.map(SCENARIOS / "italian-pa.yaml", draws=2000)
    matrix = m.matrix
    assert len(matrix) == 17 and (matrix.level == "service").all()
    assert set(matrix.quadrant) <= {"automate-first", "pilot", "opportunistic", "leave"}
    assert matrix.borderline.dtype == bool
    assert (matrix.x_threshold_basis == "ons-medium").all() and (matrix.currency == "EUR").all()
    shares = matrix[["p_automate_first", "p_pilot", "p_opportunistic", "p_leave"]].sum(axis=1)
    assert ((shares - 1).abs() < 1e-9).all()
    summary = m.summary
    total = summary[(summary.level == "total") & (summary.metric == "npv")].iloc[0]
    assert total["p5"] < total["mean"] < total["p95"]
    run = m.run
    assert run["draws"] == 2000 and len(run["scenario_sha256"]) == 64 and run["currency"] == "EUR"
    flat = pd.json_normalize(run)
    assert flat.shape[0] == 1 and flat["matrix.x.threshold"].iloc[0] == 0.3
    assert m.report.read_text().startswith("<!DOCTYPE html>")
    assert "service matrix" in m.stdout


def test_same_seed_same_numbers(tmp_path):
    a = dxmap.map(SCENARIOS / "county-councils.yaml", draws=500, threads=1, out=tmp_path / "a")
    b = dxmap.map(SCENARIOS / "county-councils.yaml", draws=500, threads=2, out=tmp_path / "b")
    pd.testing.assert_frame_equal(a.summary, b.summary)
    assert (tmp_path / "a" / "matrix.svg").exists()


def test_errors_carry_dxmaps_message_exit_status_and_location(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("dxmap: 1\nname: broken\norganisations: []\n")
    with pytest.raises(dxmap.DxmapError) as raised:
        dxmap.map(bad)
    error = raised.value
    assert error.exit_code == 65
    where = {(l.line, l.column): l.message for l in error.locations}
    assert "expected a non-empty list" in where[(3, 16)], error.locations
    assert all(l.file == str(bad) for l in error.locations)
    with pytest.raises(dxmap.DxmapError) as usage:
        dxmap.map(SCENARIOS / "county-councils.yaml", x_threshold="ons-low")
    assert usage.value.exit_code == 64 and "ons-low" in str(usage.value)


def test_redeploy_year_by_year():
    r = dxmap.redeploy(SCENARIOS / "county-councils-workforce.yaml", draws=300, policy=["redundancy-only", "shared-pool"])
    redundant = r.by_year("redundant")
    assert list(redundant.columns) == ["redundancy-only", "shared-pool"]
    assert list(redundant.index) == [1, 2, 3, 4, 5]
    policies = r.policies
    difference = policies[(policies.policy == "shared-pool") & (policies.metric == "redundant")].iloc[0]
    assert difference.mean_difference_ci_low <= difference.mean_difference <= difference.mean_difference_ci_high < 0
    # Across futures: the 90% range of the per-draw difference is wider than the interval of its mean, and the pool
    # has fewer redundancies in most futures.
    assert difference.difference_p5 < difference.mean_difference_ci_low
    assert difference.p_better > 0.5 and abs(difference.p_better + difference.p_worse + difference.p_tied - 1) < 1e-9
    assert set(r.redeploy.unit) == {"people", "GBP"}
    c = r.comparison.loc[("shared-pool", "net_saving")]
    assert c.difference_p5 <= c.mean_difference_ci_low <= c.mean_difference <= c.mean_difference_ci_high <= c.difference_p95
    assert 0 < c.p_better < 1
    assert r.run.get("target") is None
    targeted = dxmap.redeploy(SCENARIOS / "county-councils-workforce.yaml", draws=200, target=5e6, progress=False)
    assert targeted.run["target"] == 5e6


def test_redeploy_who_bears_it():
    r = dxmap.redeploy(SCENARIOS / "county-councils-workforce.yaml", draws=400, policy=["redundancy-only", "pool-retraining"])
    e = r.equality
    assert set(e.dimension) == {"sex", "working_pattern", "age"}
    assert set(e.policy) == {"redundancy-only", "pool-retraining"}
    # Each dimension's groups share out the workforce and each outcome whole.
    for (policy, dimension, flow), rows in e.groupby(["policy", "dimension", "flow"]):
        assert abs(rows.workforce_share.sum() - 1) < 1e-9
        if rows["mean"].sum() > 0:
            assert abs(rows.share_of_flow.sum() - 1) < 1e-9
    a = r.assessment("redundancy-only")
    assert list(a.index.get_level_values("dimension").unique()) == ["sex", "working_pattern", "age"]
    assert a.loc[("age", "60-plus")].redundancy_rate_ratio > 1   # the scenario's relative risk of 1.5 for staff over 60
    assert a.adverse_impact.dtype == bool
    with pytest.raises(KeyError, match="redundancy-only"):
        r.assessment("no-such-policy")
    plain = dxmap.redeploy(SCENARIOS / "italian-pa-workforce.yaml", draws=100) if (SCENARIOS / "italian-pa-workforce.yaml").exists() else None
    if plain is not None and not (plain.directory / "equality.csv").exists():
        assert plain.equality.empty


def test_map_values_outputs_and_exposure():
    m = dxmap.map(SCENARIOS / "italian-pa.yaml", draws=400)
    o = m.outputs("service")
    assert len(o) == 17 and (o.labour_share <= 1 + 1e-12).all()
    # The hospital's output cost is most of the health function's final consumption (COFOG 07, P3 137.8bn).
    assert o.index[0] == "hospital-care" and abs(o.output_cost.iloc[0] - 118.48e9) < 1e6
    assert (o.automatable_share_p5 <= o.automatable_share).all() and (o.automatable_share <= o.automatable_share_p95).all()
    assert list(m.outputs("total").index) == ["total"]
    assert m.outputs("role").empty
    view = dxmap.map(SCENARIOS / "italian-pa.yaml", draws=200, view="output")
    assert set(view.matrix.view) == {"output"}
    e = m.exposure
    assert set(e.dimension) == {"sex", "contract", "age"}
    for _, rows in e.groupby(["dimension", "quadrant"]):
        if rows.labour_value.sum() > 0:
            assert abs(rows.share_of_quadrant_labour.sum() - 1) < 1e-9


def test_adopt_compares_programmes():
    a = dxmap.adopt(SCENARIOS / "catalyst.yaml", draws=500)
    total = a.programmes[(a.programmes.level == "total") & (a.programmes.metric == "net_value")]
    assert list(total.programme) == ["none", "onsite-benefits", "all-five"]
    assert list(a.comparison.index) == ["onsite-benefits", "all-five"]
    assert (a.comparison.p_better > 0.5).all()


def test_voi_values_inputs_and_pilots_and_evidence_can_be_set_aside():
    v = dxmap.voi(SCENARIOS / "italian-registry-pilot.yaml", draws=1000, write_draws=True)
    assert set(v.voi.section) == {"evpi", "evppi", "evsi"}
    assert v.evpi.iloc[0].decision == "portfolio"
    assert (v.evppi().value <= v.evpi.set_index("decision").loc["portfolio", "value"] + 4 * v.evppi().se + 1e-9).all()
    assert list(v.evsi.cases) == [10, 25, 50, 100, 200, 400, 1000]
    assert set(v.decisions.index) == {"permits", "registry-certificates", "civil-status"}
    assert ((v.decisions.p_better >= 0) & (v.decisions.p_better <= 1)).all()
    assert "npv:service:permits" in v.draws.columns and len(v.draws) == 1000
    assert [e["applied"] for e in v.run["evidence"]] == [True, True]
    prior = dxmap.map(SCENARIOS / "italian-registry-pilot.yaml", draws=300, no_evidence=True, progress=False)
    assert [e["applied"] for e in prior.run["evidence"]] == [False, False]


def test_voi_standard_errors_the_draws_cannot_give_are_nan_and_old_estimators_stay_reachable():
    few = dxmap.voi(SCENARIOS / "italian-registry-pilot.yaml", draws=100, progress=False)
    reached = few.voi[(few.voi.section != "evpi") & (few.voi.value > 0)]
    assert reached.se.isna().any() and not (reached.se == 0).any()
    inverted = dxmap.map(SCENARIOS / "italian-pa.yaml", draws=300, progress=False)
    assert (inverted.run["sampler"], inverted.run["generator"]) == ("inversion", "xoshiro256starstar")
    direct = dxmap.map(SCENARIOS / "italian-pa.yaml", draws=300, sampler="gsl-direct", progress=False)
    assert (direct.run["sampler"], direct.run["generator"]) == ("gsl-direct", "mt19937")
    designed = dxmap.map(SCENARIOS / "italian-pa.yaml", draws=400, draw_design="latin-hypercube", replicates=4, progress=False)
    assert (designed.run["draw_design"], designed.run["replicates"]) == ("latin-hypercube", 4)
    total = designed.summary[(designed.summary.level == "total") & (designed.summary.metric == "npv")].iloc[0]
    assert 0 < total.mean_se < total.sd / 20 ** 0.5   # below plain Monte Carlo's sd/sqrt(draws) = sd/20
    old = dxmap.voi(SCENARIOS / "italian-registry-pilot.yaml", draws=300, evppi="v1", posterior="v1", progress=False)
    assert old.run["evppi_estimator"] == "v1"
    assert [e["method"] for e in old.run["evidence"]] == ["quadrature-v1", "quadrature-v1"]


def small_sweep(tmp_path: Path, points: int = 40) -> Path:
    """The bundled discovery sweep with fewer points and draws, its scenario path made absolute."""
    text = (SCENARIOS / "sweeps" / "discover-redeployment.yaml").read_text()
    text = text.replace("scenario: ../", f"scenario: {SCENARIOS}/").replace("draws: 300", "draws: 60")
    text = text.replace("points: 200", f"points: {points}")
    path = tmp_path / "sweep.yaml"
    path.write_text(text)
    return path


def test_sweep_database_views_and_discovery(tmp_path, capsys):
    sweep = small_sweep(tmp_path)
    s = dxmap.sweep(sweep, db=tmp_path / "d.sqlite", jobs=2)
    points = s.points
    assert len(points) == 40
    assert {"ai-speed", "pool-years", "redeploy.shared-pool.redundant.mean"} <= set(points.columns)
    # The views agree with the tables they read, through plain sqlite3 too.
    with sqlite3.connect(tmp_path / "d.sqlite") as connection:
        raw = connection.execute("""SELECT r.mean FROM results r JOIN outputs o ON o.idx = r.output
                                    WHERE o.name = 'redeploy.shared-pool.redundant' ORDER BY r.point""").fetchall()
    assert [row[0] for row in raw] == list(points["redeploy.shared-pool.redundant.mean"])
    # Progress reached the user (no tqdm here: a line on standard error).
    assert "dxmap sweep: 40/40" in capsys.readouterr().err
    threshold = float(points["redeploy.shared-pool.redundant.mean"].quantile(0.7))
    d = dxmap.discover(tmp_path / "d.sqlite", output="redeploy.shared-pool.redundant", above=threshold)
    assert d.boxes.chosen.dtype == bool and d.box.chosen.all()
    e = dxmap.export(tmp_path / "d.sqlite")
    assert len(e.design) == 40 and list(e.results.columns) == ["point", "output", "mean", "sd", "p5", "p50", "p95"]


def test_map_versus_evidence(tmp_path):
    m = dxmap.map(SCENARIOS / "italian-registry-pilot.yaml", draws=2000, versus_no_evidence=True, progress=False)
    v = m.versus
    assert {"p_better", "p_tied", "difference_p5", "difference_p95", "mean_difference"} <= set(v.columns)
    total = v[v.level == "total"].iloc[0]
    assert abs(total.mean_difference - (total.npv_mean - total.baseline_npv_mean)) < 1e-6 * abs(total.npv_mean)
    assert 0 <= total.p_better <= 1 and total.difference_p5 <= total.difference_p95
    assert m.run["versus"]["evidence_applied"] is False


def test_sweep_report_and_covering_boxes(tmp_path):
    text = (SCENARIOS / "sweeps" / "robust-redeployment.yaml").read_text()
    sweep = tmp_path / "r.yaml"
    sweep.write_text(text.replace("scenario: ../", f"scenario: {SCENARIOS}/").replace("draws: 200", "draws: 20")
                     .replace("points: 60", "points: 6"))
    s = dxmap.sweep(sweep, db=tmp_path / "r.sqlite", out=tmp_path / "r", satisfy="redeploy.*.redundant<=150", progress=False)
    assert len(s.points) == 18
    robust = s.report.robustness
    redundant = robust[robust.quantity == "redeploy.*.redundant"]
    assert (redundant.regret_mean >= 0).all() and (redundant.regret_max >= redundant.regret_p90).all()
    assert redundant.satisficing.between(0, 1).all() and (redundant.threshold == 150).all()
    # Every future's best option has regret 0 there: the shares of being best cover every future.
    assert redundant.share_best.sum() >= 1 - 1e-12
    assert set(s.report.envelopes.series) == {"redeploy.shared-pool.redundant", "redeploy.shared-pool.in_pool"}
    again = dxmap.report(tmp_path / "r.sqlite", satisfy=["redeploy.*.redundant<=150"])
    pd.testing.assert_frame_equal(again.robustness, robust)
    assert "pool-years" in set(again.correlations.parameter)
    d = dxmap.discover(tmp_path / "r.sqlite", output="redeploy.shared-pool.redundant",
                       above=float(s.points["redeploy.shared-pool.redundant.mean"].median()), boxes=2, box=[1])
    assert d.box.chosen.all() and set(d.boxes.search) <= {1, 2}
    assert set(d.box.kind) <= {"lever", "uncertainty"}


def test_sensitivity_indices(tmp_path):
    text = (SCENARIOS / "sweeps" / "sensitivity-italian-pa.yaml").read_text()
    sweep = tmp_path / "s.yaml"
    sweep.write_text(text.replace("scenario: ../", f"scenario: {SCENARIOS}/").replace("draws: 500", "draws: 50"))
    result = dxmap.sensitivity(sweep, method="morris", base=4, db=tmp_path / "m.sqlite", progress=False)
    indices = result.indices
    assert {"mu", "mu_star", "sigma"} <= set(indices.columns)
    assert len(result.database.points) == 4 * (len(indices.loc["total.npv"]) + 1)


def test_databases_with_uri_characters_in_their_path(tmp_path):
    """`#`, `?` and `%` in a database's path name that file: nothing stray is created, nothing else is opened."""
    place = tmp_path / "odd #1? 100%"
    place.mkdir()
    sweep = small_sweep(tmp_path, points=4)
    db = place / "d#x?.sqlite"
    s = dxmap.sweep(sweep, db=db, jobs=1, progress=False)
    assert len(s.points) == 4
    assert sorted(p.name for p in place.iterdir() if not p.name.endswith(".lock")) == ["d#x?.sqlite"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("odd")) == ["odd #1? 100%"]
    with pytest.raises(FileNotFoundError):
        dxmap.Database(place / "missing#.sqlite").points
    assert not (place / "missing#.sqlite").exists()

"""What each dxmap command hands back: DataFrames of its files and its run record."""

from __future__ import annotations

import json
import contextlib
import sqlite3
import urllib.parse
import tempfile
from pathlib import Path
from typing import Any, Optional

import pandas as pd


#: The columns of a comparison on the same draws, across futures first, then the mean and its interval.
COMPARISON = ["p_better", "p_tied", "difference_p5", "difference_p95", "mean_difference", "mean_difference_ci_low",
              "mean_difference_ci_high"]


class Outputs:
    """The files one run wrote into a directory (its own temporary one unless `out` was given, kept as long as
    this object lives), read on demand."""

    def __init__(self, directory: Path, stdout: str, warnings: list[str],
                 temporary: Optional[tempfile.TemporaryDirectory] = None):
        self.directory = Path(directory)
        #: What dxmap printed (the terminal table, or CSV/JSON with ``format``).
        self.stdout = stdout
        #: dxmap's warnings (``file:line:col: warning: …``).
        self.warnings = warnings
        self._temporary = temporary  # removed with this object

    def _csv(self, name: str) -> pd.DataFrame:
        return pd.read_csv(self.directory / name, keep_default_na=True)

    @property
    def run(self) -> dict[str, Any]:
        """The run record (`run.json`): version, inputs and their SHA-256, seed, draws, threads, currency…
        ``pandas.json_normalize(result.run)`` makes it one row."""
        return json.loads((self.directory / "run.json").read_text())

    @property
    def report(self) -> Path:
        """The self-contained `report.html` (open it in a browser)."""
        return self.directory / "report.html"

    def _repr_html_(self) -> str:
        return f"<p>dxmap {type(self).__name__} in <code>{self.directory}</code>; open <code>{self.report}</code></p>"


class MapResult(Outputs):
    """`dxmap map`: every metric of every entity, the matrix, the chart and the report."""

    @property
    def summary(self) -> pd.DataFrame:
        """`summary.csv`: one row per entity (level task, service, role, organisation, total) and metric, with mean,
        sd, p5…p95, and P(loss) and CVaR₅ for the NPV."""
        return self._csv("summary.csv")

    @property
    def matrix(self) -> pd.DataFrame:
        """`matrix.csv`: one row per entity of the matrix's level: x, y, quadrant, each quadrant's share of draws,
        `borderline`, and the view, axis quantities, thresholds with their basis, and currency."""
        return self._csv("matrix.csv")

    @property
    def versus(self) -> pd.DataFrame:
        """`versus.csv` (with ``versus=`` or ``versus_no_evidence=True``): per service, role, organisation and the
        total, both runs' mean NPV and the per-draw difference: ``p_better``, ``p_tied``, ``difference_p5``,
        ``difference_p95`` and the mean with its interval."""
        return self._csv("versus.csv")

    @property
    def exposure(self) -> pd.DataFrame:
        """`exposure.csv`, when the scenario's workforce has a `composition:`: per dimension, group and quadrant of the
        matrix's level, the FTE, the annual labour value, the share of the group's labour in the quadrant and the
        group's share of the quadrant's labour. Empty without a composition."""
        if not (self.directory / "exposure.csv").exists():
            return pd.DataFrame()
        return self._csv("exposure.csv")

    def outputs(self, level: str = "service") -> pd.DataFrame:
        """The value of outputs beside the value of labour, when services have an `output_cost`: indexed by id at
        `level` (service, organisation or total), the labour value, the mean output cost, labour's share of it, and
        the gross saving as a share of the output cost (mean, p5, p95). Entities without an output cost are left
        out; empty when the scenario gives none."""
        s = self.summary
        rows = s[s.level == level]
        if rows[(rows.metric == "output_cost")]["mean"].notna().sum() == 0:
            return pd.DataFrame()
        wide = rows.pivot_table(index="id", columns="metric", values="mean", sort=False)
        share = rows[rows.metric == "output_automation_share"].set_index("id")
        out = pd.DataFrame({
            "labour_value": wide["labour_value"],
            "output_cost": wide["output_cost"],
        }).dropna()
        out["labour_share"] = out.labour_value / out.output_cost
        out["automatable_share"] = share["mean"]
        out["automatable_share_p5"] = share["p5"]
        out["automatable_share_p95"] = share["p95"]
        return out.sort_values("output_cost", ascending=False)

    @property
    def chart(self) -> Path:
        """`matrix.svg`."""
        return self.directory / "matrix.svg"


class RedeployResult(Outputs):
    """`dxmap redeploy`: every metric per policy, year, organisation and role, and the policies compared."""

    @property
    def redeploy(self) -> pd.DataFrame:
        """`redeploy.csv`: per policy, `period` (horizon or year), year, `scope` (total, organisation, role, cell),
        metric, `kind` (flow or stock), `unit` (people or currency), mean, sd, p5, p50, p95, and `calendar_year` (with
        `start_year:`, the calendar year of a year row)."""
        return self._csv("redeploy.csv")

    @property
    def policies(self) -> pd.DataFrame:
        """`policies.csv`: per policy and metric over the horizon, the policy against the baseline on the same draws:
        `mean_difference` with the 95% interval of the mean (`mean_difference_ci_low`, `…_ci_high`), the difference
        across futures (`difference_p5`, `difference_p95`), and the shares of futures in which the policy is better,
        worse or the same (`p_better`, `p_worse`, `p_tied`; no better direction for displaced and attrition)."""
        return self._csv("policies.csv")

    @property
    def comparison(self) -> pd.DataFrame:
        """Each policy against the first on redundancies and net saving, as the terminal prints it: indexed by policy
        and metric, the share of futures in which it is better (`p_better`, `p_tied`), the difference's 5th and 95th
        percentiles across futures, and the mean difference with the 95% interval of the mean."""
        p = self.policies
        first = p.policy.iloc[0]
        rows = p[(p.policy != first) & p.metric.isin(["redundant", "net_saving"])]
        return rows.set_index(["policy", "metric"])[COMPARISON]

    @property
    def equality(self) -> pd.DataFrame:
        """`equality.csv`, who bears each policy's change, when the scenario's workforce has a `composition:`: per
        policy, dimension, group and flow (displaced, absorbed_by_attrition, redeployed, retrained_placed, redundant,
        in_pool, in_training) over the horizon, the group's people and `workforce_share`, the people in the flow (mean,
        sd, p5, p50, p95), the group's `share_of_flow`, and for the five outcomes its rate against the rest of the
        workforce (`rate_ratio`, the per-draw ratio's `rate_ratio_p5`, `…_p50`, `…_p95`, `p_rate_ratio_above_1`) with
        the `adverse_impact` flag. Empty without a composition."""
        path = self.directory / "equality.csv"
        if not path.exists():
            return pd.DataFrame()
        return self._csv("equality.csv")

    def assessment(self, policy: Optional[str] = None) -> pd.DataFrame:
        """The Equality Impact Assessment's table for one policy (default: the first): indexed by dimension and group,
        each group's share of the workforce, of those at risk (displaced) and of those made redundant, the redundancy
        rate ratio with its 5th–95th percentile, the share of futures in which it is above 1, and the flag."""
        e = self.equality
        if e.empty:
            return e
        policy = policy or e.policy.iloc[0]
        rows = e[e.policy == policy]
        if rows.empty:
            raise KeyError(f"no policy {policy!r} in equality.csv; its policies are: {', '.join(e.policy.unique())}")
        at_risk = rows[rows.flow == "displaced"].set_index(["dimension", "group"])
        redundant = rows[rows.flow == "redundant"].set_index(["dimension", "group"])
        return pd.DataFrame({
            "people": at_risk.people,
            "workforce_share": at_risk.workforce_share,
            "at_risk_share": at_risk.share_of_flow,
            "redundant_share": redundant.share_of_flow,
            "redundancy_rate_ratio": redundant.rate_ratio,
            "rate_ratio_p5": redundant.rate_ratio_p5,
            "rate_ratio_p95": redundant.rate_ratio_p95,
            "p_above_1": redundant.p_rate_ratio_above_1,
            "adverse_impact": redundant.adverse_impact == "yes",
        })

    def by_year(self, metric: str, scope: str = "total") -> pd.DataFrame:
        """One metric per year (rows) and policy (columns), means over draws, for the total or another scope."""
        table = self.redeploy
        rows = table[(table.period == "year") & (table.metric == metric) & (table.scope == scope)]
        return rows.pivot_table(index="year", columns="policy", values="mean", sort=False)


class AdoptResult(Outputs):
    """`dxmap adopt`: programmes against adoption barriers, compared on the same draws."""

    @property
    def programmes(self) -> pd.DataFrame:
        """`programmes.csv`: per programme, entity and metric, the distribution over draws and the difference
        from the baseline programme with its 95% interval."""
        return self._csv("programmes.csv")

    @property
    def comparison(self) -> pd.DataFrame:
        """Each programme's net value for all services against the first programme's, indexed by programme: the share
        of futures in which it is better, the difference's 5th and 95th percentiles, the mean with its interval."""
        p = self.programmes
        first = p.programme.iloc[0]
        rows = p[(p.programme != first) & (p.level == "total") & (p.metric == "net_value")]
        return rows.set_index("programme")[COMPARISON]


class VoiResult(Outputs):
    """`dxmap voi`: EVPI per decision, EVPPI per input, EVSI per pilot size (docs/guide/evidence-and-voi.md, "Value of
    information")."""

    @property
    def voi(self) -> pd.DataFrame:
        """`voi.csv`: one row per `evpi` (decision), `evppi` (decision and input) and `evsi` (pilot size), with its
        standard error, the value per year, and for pilots the cost and net value."""
        return self._csv("voi.csv")

    @property
    def evpi(self) -> pd.DataFrame:
        """The EVPI of each decision (the portfolio's too), largest first."""
        v = self.voi
        return v[v.section == "evpi"][["decision", "value", "se", "per_year"]].sort_values("value", ascending=False)

    def evppi(self, decision: Optional[str] = None) -> pd.DataFrame:
        """Each input's EVPPI for one decision (default: the portfolio, or the one decision), largest first."""
        v = self.voi
        rows = v[v.section == "evppi"]
        chosen = decision or ("portfolio" if (rows.decision == "portfolio").any() else rows.decision.iloc[0])
        return rows[rows.decision == chosen][["input", "kind", "value", "se"]].sort_values("value", ascending=False)

    @property
    def decisions(self) -> pd.DataFrame:
        """`decisions.csv`: per decision with two options or more, the option best on average against the next best,
        draw by draw: how often deciding now on expected values picks the better of the two (`p_better`), by how much
        across futures (`difference_p5`, `difference_p95`), and the mean with its interval."""
        return self._csv("decisions.csv").set_index("decision")

    @property
    def evsi(self) -> pd.DataFrame:
        """Each proposed pilot's EVSI, cost and net value by size."""
        v = self.voi
        return v[v.section == "evsi"][["kind", "input", "cases", "value", "se", "cost", "net"]]

    @property
    def draws(self) -> pd.DataFrame:
        """`draws.csv` (with ``write_draws=True``): every draw's inputs, the outputs the decision values, and the
        option values it derives (docs/reference/cli.md, `--write-draws`)."""
        return self._csv("draws.csv")


class Database:
    """A sweep's results database, read through its views (docs/guide/sweeps.md, "The results database")."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def query(self, sql: str, params: tuple = ()) -> pd.DataFrame:
        """Any SQL over the database, as a DataFrame. The database is opened read-only and never created: a path
        with ``#``, ``?`` or ``%`` in it is the file it names (percent-encoded into SQLite's URI)."""
        if not self.path.is_file():
            raise FileNotFoundError(f"{self.path}: no such results database")
        uri = "file:" + urllib.parse.quote(str(self.path.resolve()), safe="/") + "?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
            return pd.read_sql_query(sql, connection, params=params)

    @property
    def points(self) -> pd.DataFrame:
        """`points_wide`: one row per finished point: its parameters, `failure`, `seconds`, and each output's
        `mean`, `sd`, `p5`, `p50`, `p95` in columns named `output.statistic`."""
        return self.query("SELECT * FROM points_wide ORDER BY point")

    @property
    def results(self) -> pd.DataFrame:
        """`results_by_name`: one row per point and output (by name)."""
        return self.query("SELECT * FROM results_by_name ORDER BY point")

    @property
    def design(self) -> pd.DataFrame:
        """The design: one row per point run, one column per parameter."""
        return self.query("SELECT * FROM design ORDER BY point")

    @property
    def failures(self) -> pd.DataFrame:
        """Failed points and why."""
        return self.query("SELECT point, failure FROM points_done WHERE failure IS NOT NULL ORDER BY point")


class SweepResult(Database):
    """`dxmap sweep`: the database it filled."""

    def __init__(self, path: Path, stdout: str, warnings: list[str], report: Optional[SweepReport] = None):
        super().__init__(path)
        self.stdout = stdout
        self.warnings = warnings
        #: The sweep's report when ``out=`` asked for one, else None.
        self.report = report


class SensitivityResult(Outputs):
    """`dxmap sensitivity`: indices with their intervals, each point's value, the chart and the report."""

    def __init__(self, directory: Path, stdout: str, warnings: list[str], database: Path,
                 temporary: Optional[tempfile.TemporaryDirectory] = None):
        super().__init__(directory, stdout, warnings, temporary)
        #: The study's results database.
        self.database = Database(database)

    @property
    def sensitivity(self) -> pd.DataFrame:
        """`sensitivity.csv`: output, parameter, method, index (S1, ST, mu_star, sigma, swing_low…), value and
        its interval."""
        return self._csv("sensitivity.csv")

    @property
    def indices(self) -> pd.DataFrame:
        """The indices with one column per index, a row per output and parameter."""
        return self.sensitivity.pivot_table(index=["output", "parameter"], columns="index", values="value", sort=False)

    @property
    def points(self) -> pd.DataFrame:
        """`points.csv`: each point's output value, its Monte Carlo standard error and any failure."""
        return self._csv("points.csv")


class DiscoveryResult(Outputs):
    """`dxmap discover`: PRIM's peeling trajectory and the chosen box."""

    @property
    def boxes(self) -> pd.DataFrame:
        """`boxes.csv`: each box of the trajectory and the chosen one (`chosen` true), a row per restriction."""
        return self._csv("boxes.csv")

    @property
    def box(self) -> pd.DataFrame:
        """The first box's restrictions: parameter, min, max, categories, quasi-p-values and kind (lever or
        uncertainty)."""
        return self.found(1)

    def found(self, search: int) -> pd.DataFrame:
        """Box ``search``'s restrictions (1: the first; 2…: the covering boxes of ``boxes=``)."""
        boxes = self.boxes
        return boxes[boxes.chosen & (boxes.search == search)].reset_index(drop=True)


class SweepReport(Outputs):
    """`dxmap report` (or `dxmap sweep --out`): a sweep across its futures."""

    @property
    def outputs(self) -> pd.DataFrame:
        """`outputs.csv`: each output across the points: points, mean, min, p5, p50, p95, max."""
        return self._csv("outputs.csv")

    @property
    def robustness(self) -> pd.DataFrame:
        """`robustness.csv`: per quantity and option, the mean, p90 and worst regret against the best option in each
        future, the share of futures it is best in and, with a threshold, the share meeting it (`satisficing`)."""
        return self._csv("robustness.csv")

    @property
    def envelopes(self) -> pd.DataFrame:
        """`envelopes.csv`: per yearly series and year, min, p5, p50, p95 and max across the points."""
        return self._csv("envelopes.csv")

    @property
    def correlations(self) -> pd.DataFrame:
        """`correlations.csv`: Spearman's ρ of each parameter (with its kind) with each output."""
        return self._csv("correlations.csv")


class ExportResult(Outputs):
    """`dxmap export --csv`: the database as tidy CSV files."""

    @property
    def design(self) -> pd.DataFrame:
        return self._csv("design.csv")

    @property
    def results(self) -> pd.DataFrame:
        return self._csv("results.csv")

    @property
    def failures(self) -> pd.DataFrame:
        path = self.directory / "failures.csv"
        return pd.read_csv(path) if path.exists() else pd.DataFrame(columns=["point", "reason"])

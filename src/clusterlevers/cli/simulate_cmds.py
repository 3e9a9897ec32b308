"""``simulate``: the financing-transition Monte Carlo for one design (or two, compared fairly)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from .main import app


@app.command("simulate")
def simulate_cmd(
    design: Path = typer.Argument(..., help="Design file (YAML or JSON).", show_default=False),
    draws: int | None = typer.Option(None, "--draws", "-n",
                                     help="Monte Carlo draws (default 1000; 200 per run with --sensitivity)."),
    years: int = typer.Option(20, "--years", "-t", help="Program years to simulate."),
    seed: int = typer.Option(0, "--seed", "-s", help="Random seed (same seed, same output)."),
    clusters: int | None = typer.Option(
        None, "--clusters", help="Clusters simulated per draw (default: portfolio size, capped at 50)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
    csv_path: Path | None = typer.Option(None, "--csv", help="Write the per-year bands as CSV."),
    svg_path: Path | None = typer.Option(None, "--svg", help="Write an SVG chart (trajectory, or the tornado with "
                                  "--sensitivity)."),
    metric: str = typer.Option("public_share", "--metric", help="Metric for --svg: public_share, private_share, "
                               "alive_share, budget, members, staff."),
    compare: Path | None = typer.Option(None, "--compare", help="A second design, run on the same random numbers."),
    equal_money: bool = typer.Option(False, "--equal-public-money", help="With --compare: rescale the compared "
                                     "design's grant so both spend the same total public money."),
    sens: bool = typer.Option(False, "--sensitivity", help="Tornado of headline outputs over the assumption "
                              "parameters' ranges."),
    method: str = typer.Option("oat", "--method", help="Sensitivity method: oat, morris or sobol (SALib)."),
) -> None:
    """Simulate how the design's clusters move from public to private and own revenue."""
    from ..domain.design import load_design
    from ..domain.errors import InputError, Problem

    problems = []
    if equal_money and compare is None:
        problems.append(Problem("--equal-public-money needs --compare OTHER_DESIGN", field="--equal-public-money"))
    if sens and compare is not None:
        problems.append(Problem("use --sensitivity or --compare, not both", field="--sensitivity"))
    if metric not in ("public_share", "private_share", "program_share", "alive_share", "budget", "members",
                      "staff"):
        problems.append(Problem(f"unknown metric {metric!r}", field="--metric"))
    if problems:
        raise InputError(problems)
    d = load_design(design)
    other = load_design(compare) if compare is not None else None

    if sens:
        from ..domain.financing import sensitivity

        n_sens = draws if draws is not None else 200
        with _progress(n_sens * 50 >= 20_000) as cb:
            result = sensitivity(d, draws=n_sens, years=years, seed=seed,
                                 clusters=clusters, method=method, progress=cb)
        if svg_path is not None and method == "oat":
            from ..charts.financing import tornado_svg

            _write(svg_path, tornado_svg(result))
        _emit(result, as_json, _print_sensitivity)
        return

    from ..domain.financing import simulate

    draws = draws if draws is not None else 1000
    big = draws * years * (clusters or 50) >= 2_000_000
    with _progress(big) as cb:
        res = simulate(d, draws=draws, years=years, seed=seed, clusters=clusters, progress=cb)
    summary = res.summary()
    other_summary = None
    if other is not None:
        with _progress(big) as cb:
            res_b = simulate(other, draws=draws, years=years, seed=seed, clusters=clusters, progress=cb,
                             equal_public_money_with=d if equal_money else None)
        other_summary = res_b.summary()
    if csv_path is not None:
        res.to_csv(csv_path)
    if svg_path is not None:
        from ..charts.financing import financing_chart

        _write(svg_path, financing_chart(summary, pinned=other_summary, metric=metric))
    if other_summary is not None:
        keys = ("self_sustaining_probability", "year_private_share_50", "budget_drop_at_grant_end",
                "alive_3y_after_grant_end", "alive_5y_after_grant_end", "public_cost_per_surviving_cluster_m")
        diff = {k: (None if summary[k] is None or other_summary[k] is None
                    else round(other_summary[k] - summary[k], 6)) for k in keys}
        summary = {**summary, "compare": other_summary, "differences": diff,
                   "common_random_numbers": True, "equal_public_money": equal_money}
    _emit(summary, as_json, _print_summary)


class _progress:
    """A rich progress bar on stderr for long runs; yields a callback(done, total) or None."""

    def __init__(self, show: bool) -> None:
        self.show = show
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not self.show:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeElapsedColumn

        self.bar = Progress("simulating", BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                            console=Console(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task("sim", total=1)

        def cb(done: int, total: int) -> None:
            self.bar.update(task, completed=done, total=total)

        return cb

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _write(path: Path, text: str) -> None:
    from ..domain.errors import InputError

    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError.single(f"cannot write: {exc.strerror or exc}", file=str(path)) from None


def _emit(data: dict[str, Any], as_json: bool, printer: Any) -> None:
    if as_json:
        from .output import print_json

        print_json(data)
    else:
        printer(data)


def _pct(v: Any) -> str:
    return "n/a" if v is None else f"{v:.0%}"


def _print_summary(s: dict[str, Any]) -> None:
    from .output import console

    out = console()
    rows = [s] + ([s["compare"]] if "compare" in s else [])
    for r in rows:
        out.print(f"[bold]{r['design']}[/bold]  ({r['draws']} draws x {r['clusters_simulated']} clusters x "
                  f"{len(r['years'])} years, seed {r['seed']})")
        ps, al = r["public_share"]["p50"], r["alive_share"]["p50"]
        marks = sorted({0, len(ps) // 4, len(ps) // 2, 3 * len(ps) // 4, len(ps) - 1})
        out.print("  year          " + "  ".join(f"{r['years'][i]:>5}" for i in marks))
        out.print("  public share  " + "  ".join(f"{_pct(ps[i]):>5}" for i in marks))
        out.print("  alive         " + "  ".join(f"{_pct(al[i]):>5}" for i in marks))
        out.print(f"  private share reaches 50% in year: {r['year_private_share_50'] or 'never'}")
        out.print(f"  grant ends in year {r['grant_end_year'] or 'n/a'}; budget drop then: "
                  f"{_pct(r['budget_drop_at_grant_end'])}")
        out.print(f"  alive 3 / 5 years after: {_pct(r['alive_3y_after_grant_end'])} / "
                  f"{_pct(r['alive_5y_after_grant_end'])}")
        out.print(f"  self-sustaining: {_pct(r['self_sustaining_probability'])}")
        cost = r["public_cost_per_surviving_cluster_m"]
        out.print(f"  public money per surviving cluster: "
                  f"{'n/a' if cost is None else f'{cost:,.2f}'} {r['money_unit']}")
        epm = r.get("equal_public_money")
        if isinstance(epm, dict):
            out.print(f"  equal public money: grant scaled x{epm['grant_scale']:.3f}")
        if r["defaulted_levers"]:
            out.print(f"  defaulted levers: {', '.join(r['defaulted_levers'])}")
        for note in r["notes"]:
            out.print(f"  [dim]{note}[/dim]")
    out.print("[dim]All outputs rest on assumption-graded behaviour (key unknowns: "
              f"{', '.join(s['assumptions']['key_unknowns'])}); see --json for the parameters and grades.[/dim]")


def _print_sensitivity(s: dict[str, Any]) -> None:
    from .output import console

    out = console()
    first = s["outputs"][0]
    out.print(f"[bold]{s['design']}[/bold]: sensitivity of {first} ({s['method']}); baseline {s['baseline'][first]}")
    for r in s["rows"][:15]:
        if "at_low" in r:
            out.print(f"  {r['parameter']:<24} low {r['at_low'][first]!s:>9}  high {r['at_high'][first]!s:>9}  "
                      f"swing {r['swing'][first]}")
        else:
            out.print(f"  {r['parameter']:<24} {r[first]}")

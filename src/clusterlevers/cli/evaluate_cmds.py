"""``evaluate``, ``logic-model`` and ``monitor``: evaluation of a running program."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from .main import app
from .output import console, print_json

JSON_OPT = typer.Option(False, "--json", help="Print one JSON document on stdout.")


@app.command("evaluate")
def evaluate_cmd(
    firm_panel: Path = typer.Option(..., "--firm-panel", help="Firm panel CSV: firm_id, year, outcomes, covariates."),
    treatment: Path = typer.Option(..., "--treatment", help="Treatment CSV: firm_id, treatment_year (empty = never)."),
    outcome: str = typer.Option(..., "--outcome", help="Outcome column of the firm panel, e.g. log_rd."),
    method: str = typer.Option("cs", "--method", help="cs (Callaway-Sant'Anna, default), twfe or psm."),
    covariates: str = typer.Option(None, "--covariates",
                                   help="Comma-separated baseline covariates; 'none' for none. "
                                        "Default: size0, rd_int, age, sector, region where present."),
    bootstrap: int = typer.Option(0, "--bootstrap", help="Multiplier-bootstrap draws (cs only; 0 = analytic SEs)."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the bootstrap."),
    svg: Path = typer.Option(None, "--svg", help="Also write the event-study chart as SVG."),
    as_json: bool = JSON_OPT,
) -> None:
    """Estimate the program's average effect on treated firms, with its assumption and caveats."""
    from ..domain.evaluation import estimate

    covs: list[str] | None = None
    if covariates is not None:
        covs = [] if covariates.strip().lower() in ("", "none") else [c.strip() for c in covariates.split(",")
                                                                     if c.strip()]
    result = _with_progress(lambda progress: estimate(firm_panel, treatment, outcome, method=method, covariates=covs,
                                                      bootstrap=bootstrap, seed=seed, progress=progress), bootstrap)
    data = result.as_dict()
    if svg is not None:
        from ..charts.monitoring import event_study_chart

        _write_text(svg, event_study_chart(data["event_study"], title=f"Event study: {outcome} ({method})"))
    if as_json:
        print_json(data)
        return
    _print_result(data)


def _with_progress(run: Any, total: int) -> Any:
    if total <= 0:
        return run(None)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("bootstrap", total=total)
        return run(lambda done, _total: bar.update(task, completed=done))


def _write_text(path: Path, text: str) -> None:
    from ..domain.errors import InputError

    try:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise InputError.single(f"cannot write file: {exc.strerror or exc}", file=str(path)) from None


def _print_result(d: dict[str, Any]) -> None:
    from rich.table import Table

    out = console()
    out.print(f"[bold]{d['method_name']}[/bold] - outcome {d['outcome']}")
    lo, hi = d["ci95"]
    out.print(f"ATT = {d['att']:.4g} (SE {d['se']:.3g}; 95% CI {lo:.4g} to {hi:.4g}); "
              f"{d['n_treated']} treated, {d['n_control']} comparison firms")
    p = d["pretrend_p"]
    out.print("pre-trend test p = " + ("n/a" if p is None else f"{p:.3f}"))
    table = Table(title="Event study", title_justify="left")
    for col in ("e", "estimate", "95% CI", "treated firms"):
        table.add_column(col, justify="right")
    for r in d["event_study"]:
        table.add_row(str(r["e"]), f"{r['att']:.4f}", f"{r['ci95'][0]:.4f} .. {r['ci95'][1]:.4f}", str(r["n_treated"]))
    out.print(table)
    if d.get("balance"):
        bt = Table(title="Balance (standardised mean differences)", title_justify="left")
        for col in ("covariate", "before", "after"):
            bt.add_column(col)
        for b in d["balance"]:
            bt.add_row(b["covariate"], f"{b['smd_before']:.3f}", f"{b['smd_after']:.3f}")
        out.print(bt)
    out.print(f"\n[bold]Identifying assumption[/bold]: {d['identifying_assumption']}")
    for w in d["warnings"]:
        out.print(f"[yellow]warning[/yellow]: {w}")
    out.print(f"\n{d['plain_language']}")


@app.command("logic-model")
def logic_model_cmd(
    design: Path = typer.Argument(..., help="Design file (YAML or JSON).", show_default=False),
    csv: Path = typer.Option(None, "--csv", help="Write the logic model and KPIs as CSV."),
    yaml_out: Path = typer.Option(None, "--yaml", help="Write the logic model and KPIs as YAML."),
    as_json: bool = JSON_OPT,
) -> None:
    """Show the logic model and the KPIs that follow from a design's levers."""
    from ..domain.design import load_design
    from ..domain.evaluation import logic_model

    lm = logic_model(load_design(design))
    if csv is not None:
        lm.to_csv(csv)
    if yaml_out is not None:
        lm.to_yaml(yaml_out)
    if as_json:
        print_json(lm.as_dict())
        return
    out = console()
    out.print(f"[bold]Logic model: {lm.design}[/bold]")
    for stage in ("inputs", "activities", "outputs", "outcomes", "impacts"):
        out.print(f"\n[bold]{stage.capitalize()}[/bold]")
        for item in getattr(lm, stage):
            out.print(f"  - {item}")
    from rich.table import Table

    table = Table(title="KPIs", title_justify="left")
    for col in ("stage", "kpi", "unit", "target", "why"):
        table.add_column(col, max_width=60 if col == "why" else None)
    for k in lm.kpis:
        t: dict[str, Any] = k.target or {}
        tt = "" if not t else f"{t.get('direction', '')} {t['value']:g}" + (" (assumption)" if t.get("assumption")
                                                                             else "")
        table.add_row(k.stage, f"{k.name}\n[{k.id}]", k.unit, tt, k.why)
    out.print(table)
    if lm.undecided:
        out.print("Levers still undecided that would add KPIs: "
                  + ", ".join(sorted({u["lever"] for u in lm.undecided})))


@app.command("monitor")
def monitor_cmd(
    panel: Path = typer.Argument(..., help="Cluster monitoring panel CSV (research note §2.5 schema).",
                                 show_default=False),
    kpi: str = typer.Option(None, "--kpi", help="One KPI (default: all KPIs the panel supports)."),
    design: Path = typer.Option(None, "--design", help="Design file whose logic model supplies the targets."),
    svg: Path = typer.Option(None, "--svg", help="Write the KPI chart as SVG (needs --kpi)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Validate a monitoring panel and show KPI trends per cluster against targets."""
    from ..domain.errors import InputError
    from ..domain.evaluation import load_monitoring_panel
    from ..domain.evaluation.monitoring import kpi_summary, monitoring_kpis

    df = load_monitoring_panel(panel)
    targets: dict[str, Any] = {}
    if design is not None:
        from ..domain.design import load_design
        from ..domain.evaluation import logic_model

        for k in logic_model(load_design(design)).kpis:
            if k.target and k.target.get("value") is not None:
                targets[k.panel or k.id] = k.target
    available = [k.id for k in monitoring_kpis(df)]
    if kpi is not None and kpi not in available:
        raise InputError.single(f"unknown KPI for this panel; available: {', '.join(available)}", field="--kpi")
    if svg is not None and kpi is None:
        raise InputError.single("--svg draws one KPI: add --kpi", field="--svg")
    chosen = [kpi] if kpi else available
    summaries = [kpi_summary(df, k, targets.get(k)) for k in chosen]
    if svg is not None:
        from ..charts.monitoring import monitoring_chart

        _write_text(svg, monitoring_chart(df, chosen[0], targets.get(chosen[0])))
    result: dict[str, Any] = {"panel": str(panel), "clusters": int(df["cluster_id"].nunique()),
              "years": [int(df["year"].min()), int(df["year"].max())], "rows": len(df), "kpis": summaries}
    if as_json:
        print_json(result)
        return
    from rich.table import Table

    out = console()
    out.print(f"{panel}: {result['clusters']} clusters, {result['years'][0]}-{result['years'][1]}, {len(df)} rows; "
              "valid")
    for s in summaries:
        t: Any = s["target"]
        title = f"{s['name']} [{s['kpi']}] ({s['unit']})" + (f" - target {t['direction']} {t['value']:g}" if t else "")
        table = Table(title=title, title_justify="left")
        for col in ("cluster", "first", "last", "trend / year", "on target"):
            table.add_column(col, justify="right")
        for r in s["clusters"]:
            def f(v: Any) -> str:
                return "" if v is None else f"{v:.3g}"
            table.add_row(str(r["cluster_id"]), f(r.get("first")), f(r.get("last")), f(r.get("trend_per_year")),
                          "" if r["on_target"] is None else ("yes" if r["on_target"] else "no"))
        out.print(table)

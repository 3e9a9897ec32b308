"""``levers`` and ``check``: the canvas and one design on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from .main import app
from .output import console, print_json

JSON_OPT = typer.Option(False, "--json", help="Print one JSON document on stdout.")


@app.command("levers")
def levers_cmd(as_json: bool = JSON_OPT) -> None:
    """List the 16 levers of the canvas, grouped by area."""
    from ..domain.canvas import load_canvas

    canvas = load_canvas()
    if as_json:
        print_json([lv.public_dict() for lv in canvas.levers])
        return
    from rich.table import Table

    out = console()
    for area in canvas.areas:
        table = Table(title=f"{area.name} - {area.question}", title_justify="left", expand=False)
        table.add_column("lever")
        table.add_column("code")
        table.add_column("positions / range")
        table.add_column("definition", max_width=60)
        for lv in canvas.levers_in(area.id):
            if lv.kind == "ordinal":
                stops = " < ".join(lv.position_ids) + (" (cumulative)" if lv.cumulative else "")
            else:
                cur = f" {lv.range_currency}-equivalent" if lv.money else ""
                stops = f"{lv.min:g}-{lv.max:g} {lv.unit}{cur}, {lv.scale}; bands: " + ", ".join(lv.stops)
            table.add_row(f"{lv.name}\n[{lv.id}]", lv.code, stops, lv.definition)
        out.print(table)


@app.command("check")
def check_cmd(
    design: Path = typer.Argument(..., help="Design file (YAML or JSON).", show_default=False),
    as_json: bool = JSON_OPT,
) -> None:
    """Validate a design and show its derived budget, program type, undecided levers and findings."""
    from ..domain.check import check
    from ..domain.design import load_design

    result = check(load_design(design))
    if as_json:
        print_json(result)
        return
    _print_check(result)


def _money(x: float | None, cur: str | None) -> str:
    if x is None:
        return "not computable yet"
    return f"{x:,.1f} million {cur or ''}".rstrip()


def _print_check(result: dict[str, Any]) -> None:
    from ..domain.canvas import load_canvas

    canvas = load_canvas()
    out = console()
    d = result["design"]
    der = result["derived"]
    out.print(f"[bold]{d['name']}[/bold]")
    ctx = d.get("context") or {}
    if ctx:
        out.print("context: " + ", ".join(f"{k}={v}" for k, v in ctx.items()))
    out.print()
    for area in canvas.areas:
        out.print(f"[bold]{area.name}[/bold]")
        for lv in canvas.levers_in(area.id):
            value = d["levers"].get(lv.id)
            if value is None:
                shown = "[dim]not decided[/dim]"
            elif lv.kind == "ordinal":
                shown = lv.position(str(value)).label
            else:
                unit = f"{ctx.get('currency', '')} m per cluster-year" if lv.money else lv.unit
                shown = f"{value:g} {unit} ({lv.band(float(value)).label.lower()})"
            out.print(f"  {lv.name:<28} {shown}")
    out.print()
    out.print(f"total public budget: {_money(der['total_public_budget_m'], der['currency'])}")
    out.print(f"total resources with private match: {_money(der['total_resources_m'], der['currency'])}")
    if der.get("eur"):
        out.print(f"  = {der['eur']['total_public_budget_m']:,.1f} million EUR public ({der['eur']['note']})")
    if der["missing"]:
        out.print(f"  needs: {', '.join(der['missing'])}")
    out.print(f"undecided levers ({len(result['undecided'])}): {', '.join(result['undecided']) or 'none'}")
    pt = result.get("program_type") or {}
    if pt.get("family"):
        out.print(f"\nprogram type: [bold]{pt['family']}[/bold]" + (f" - {pt['summary']}" if pt.get("summary") else ""))
    findings = result.get("findings") or []
    out.print(f"\nfindings: {len(findings)}")
    for severity in ("critical", "warning", "info"):
        group = [f for f in findings if f["severity"] == severity]
        if not group:
            continue
        out.print(f"[bold]{severity.upper()}[/bold]")
        for f in group:
            out.print(f"  [{f['id']}] {f['message']}")
            out.print(f"      why: {f['why']}")
            if f.get("suggestion"):
                out.print(f"      suggestion: {f['suggestion']}")

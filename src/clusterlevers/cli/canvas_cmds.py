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
    _print_program_type(out, result.get("program_type") or {})
    _print_findings(out, result.get("findings") or [])
    _print_similar(out, result.get("similar_contexts"))


_SEVERITY_STYLE = {"critical": "bold red", "warning": "bold yellow", "info": "bold cyan"}


def _print_program_type(out: Any, pt: dict[str, Any]) -> None:
    from rich.markup import escape

    if not pt.get("family"):
        out.print(f"\nprogram type: [dim]{escape(pt.get('summary') or 'not enough levers decided')}[/dim]")
        return
    mixed = " [yellow](mixed signals)[/yellow]" if pt.get("mixed") else ""
    out.print(f"\nprogram type: [bold]{escape(str(pt.get('label') or pt['family']))}[/bold]"
              f" ({escape(str(pt.get('confidence')))} confidence){mixed}")
    if pt.get("summary"):
        out.print(f"  {escape(pt['summary'])}")


def _print_findings(out: Any, findings: list[dict[str, Any]]) -> None:
    from rich.markup import escape

    if not findings:
        out.print("\nfindings: none - no tension among the decided levers")
        return
    counts = ", ".join(f"{sum(1 for f in findings if f['severity'] == s)} {s}"
                       for s in ("critical", "warning", "info") if any(f["severity"] == s for f in findings))
    out.print(f"\nfindings: {len(findings)} ({counts})")
    for severity in ("critical", "warning", "info"):
        group = [f for f in findings if f["severity"] == severity]
        if not group:
            continue
        out.print(f"\n[{_SEVERITY_STYLE[severity]}]{severity.upper()}[/{_SEVERITY_STYLE[severity]}]")
        for f in group:
            title = f.get("title") or f["id"]
            out.print(f"  [bold]{escape(title)}[/bold] [dim]\\[{escape(f['id'])}; levers: "
                      f"{escape(', '.join(f['levers']))}][/dim]")
            out.print(f"    {escape(f['message'])}")
            out.print(f"    [dim]why:[/dim] {escape(f['why'])}")
            if f.get("suggestion"):
                out.print(f"    [dim]suggestion:[/dim] {escape(f['suggestion'])}")
            move = f.get("move")
            if move:
                out.print(f"    [green]suggested move:[/green] {escape(str(move.get('label') or move['to']))}"
                          f" [dim](now {escape(_shown(move.get('from')))})[/dim]")
            ev = f.get("evidence") or []
            if ev:
                out.print("    [dim]evidence:[/dim] " + escape("; ".join(
                    e["title"] + (f" [{e['program']}]" if e.get("program") else "") for e in ev[:4])
                    + (f"; +{len(ev) - 4} more" if len(ev) > 4 else "")))


def _print_similar(out: Any, sim: dict[str, Any] | None) -> None:
    """How programs in similar contexts chose (information, not a verdict)."""
    if not sim:
        return
    from rich.markup import escape

    names = ", ".join(f"{p['name']} ({p['country']})" for p in sim["programs"])
    out.print(f"\n[bold]Programs in similar contexts[/bold] [dim](by {', '.join(sim['based_on'])}; "
              f"information, not a verdict)[/dim]: {escape(names)}")
    for lever, entry in sim["levers"].items():
        if "positions" in entry:
            parts = [f"{pos.replace('_', ' ')} {len(progs)}" for pos, progs in entry["positions"].items()]
        else:
            money = any("value_eur" in v for v in entry["values"])
            vals = sorted(v["value_eur"] if money else v["value"] for v in entry["values"]
                          if (v.get("value_eur") if money else v["value"]) is not None)
            unit = " EUR m" if money else ""
            parts = [f"{len(vals)} known, {vals[0]:g}-{vals[-1]:g}{unit}"] if vals else []
        if entry["unknown"]:
            parts.append(f"unknown {len(entry['unknown'])}")
        out.print(f"  {lever:<26} " + escape(", ".join(parts)))


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "not decided" if value is None else str(value).replace("_", " ")

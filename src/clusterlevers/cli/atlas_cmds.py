"""``atlas …``, ``compare`` and ``archetypes``: the real programs on the canvas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from .main import app
from .output import console, fail, print_json

atlas_app = typer.Typer(help="The atlas of real national cluster programs coded on the canvas.",
                        no_args_is_help=True)
app.add_typer(atlas_app, name="atlas")

JSON_OPT = typer.Option(False, "--json", help="Print one JSON document on stdout.")
DIR_OPT = typer.Option(None, "--dir", help="Validate this directory of records instead of the shipped atlas.")


@atlas_app.command("validate")
def validate_cmd(directory: Path | None = DIR_OPT, as_json: bool = JSON_OPT) -> None:
    """Check every record: schema, sources, lever codes, generation links, budget identity."""
    from ..domain.atlas.loader import validate_atlas

    programs, problems = validate_atlas(directory)
    if problems:
        fail([str(p) for p in problems])
    countries = sorted({p.country for p in programs.values()})
    if as_json:
        print_json({"valid": True, "programs": len(programs), "countries": len(countries)})
    else:
        typer.echo(f"atlas valid: {len(programs)} programs in {len(countries)} countries")


@atlas_app.command("list")
def list_cmd(as_json: bool = JSON_OPT) -> None:
    """List the programs with country, years, clusters and how many levers are coded."""
    from ..domain.atlas.loader import load_atlas

    rows = [_row(p) for p in load_atlas().values()]
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    t = Table(title=f"{len(rows)} programs")
    for col in ("id", "country", "name", "years", "clusters", "coded"):
        t.add_column(col)
    for r in rows:
        years = f"{r['start_year'] or '?'}-{r['end_year'] or '?'}"
        t.add_row(r["id"], r["country"] + (f" ({r['region']})" if r["region"] else ""), r["name"], years,
                  str(r["clusters"] if r["clusters"] is not None else "?"), f"{r['levers_coded']}/16")
    console().print(t)


def _row(p: Any) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "native_name": p.native_name, "country": p.country, "region": p.region,
            "level": p.level, "family": p.family, "start_year": p.facts.start_year.value,
            "end_year": p.facts.end_year.value, "clusters": p.facts.clusters.value,
            "levers_coded": sum(1 for c in p.levers.values() if c.known)}


@atlas_app.command("show")
def show_cmd(program_id: str = typer.Argument(..., metavar="ID"), as_json: bool = JSON_OPT) -> None:
    """Show one program: facts with sources, evaluations, and its lever coding."""
    from ..domain.atlas.loader import load_atlas, public_record

    atlas = load_atlas()
    prog = atlas.get(program_id)
    if prog is None:
        import difflib

        close = difflib.get_close_matches(program_id, list(atlas), n=1)
        fail(f"atlas: ID: no program '{program_id}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
    if as_json:
        print_json(public_record(prog))
        return
    out = console()
    out.print(f"[bold]{prog.name}[/bold] ({prog.id}) - {prog.country}{' ' + prog.region if prog.region else ''}")
    if prog.native_name:
        out.print(prog.native_name)
    if prog.summary:
        out.print(prog.summary)
    out.print("\n[bold]Facts[/bold]")
    for name, fact in prog.facts:
        if fact is None or isinstance(fact, str):
            continue
        val = getattr(fact, "amount", None)
        shown = (f"{val:g} {fact.currency} m" + (f" ({fact.period})" if fact.period else "")) if val is not None \
            else fact.value if hasattr(fact, "value") else None
        if shown is None:
            shown = "unknown"
        out.print(f"  {name}: {shown} [{fact.confidence}]" + (f" - derived: {fact.derived}" if fact.derived else ""))
        for s in fact.sources:
            out.print(f"      {s}")
    out.print("\n[bold]Levers[/bold]")
    for lid, c in prog.levers.items():
        shown = c.position if c.position else (f"{c.value:g}" if c.value is not None else "unknown")
        if c.value is not None and c.currency:
            shown += f" {c.currency} m"
        out.print(f"  {lid:<26} {shown or 'unknown'} [{c.confidence}] {c.why or ''}")
    if prog.evaluations:
        out.print("\n[bold]Evaluations[/bold]")
        for e in prog.evaluations:
            out.print(f"  {e.year or '?'} {e.by or ''}: {e.headline or ''}")


@atlas_app.command("coverage")
def coverage_cmd(as_json: bool = JSON_OPT) -> None:
    """How many levers are coded or unknown, per program and per lever."""
    from ..domain.atlas.coverage import coverage

    data = coverage()
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    t = Table(title="Levers coded per lever")
    t.add_column("lever")
    t.add_column("coded")
    t.add_column("unknown")
    for row in data["per_lever"]:
        t.add_row(row["lever"], str(row["coded"]), str(row["unknown"]))
    console().print(t)
    typer.echo(f"{data['programs']} programs; {data['coded_share']:.0%} of lever codings known")


@atlas_app.command("export")
def export_cmd(
    fmt: str = typer.Option("csv", "--format", help="csv or json"),
    output: Path = typer.Option(..., "-o", "--output", help="File to write (a datapackage.json goes beside it)."),
) -> None:
    """Export the atlas (one row per program) with a Frictionless data dictionary."""
    from ..domain.atlas.export import export_atlas

    if fmt not in ("csv", "json"):
        fail(f"--format: '{fmt}' is not csv or json")
    written = export_atlas(output, fmt)
    for path in written:
        typer.echo(f"wrote {path}")


@app.command("compare")
def compare_cmd(
    design: str = typer.Argument(..., help="Design file (YAML/JSON) or an atlas program id."),
    top: int = typer.Option(5, "--top", min=1, max=100, help="How many nearest programs."),
    as_json: bool = JSON_OPT,
) -> None:
    """The real programs nearest to a design, and the levers where they differ most."""
    from ..domain.atlas.loader import load_atlas
    from ..domain.atlas.similarity import compare_design, compare_program
    from ..domain.design import load_design

    atlas = load_atlas()
    if design in atlas and not Path(design).exists():
        neighbours = compare_program(atlas[design], top=top)
        source: dict[str, Any] = {"program": design}
    else:
        d = load_design(design)
        neighbours = compare_design(d, top=top)
        source = {"design": d.name}
    if as_json:
        print_json({**source, "neighbours": [n.model_dump() for n in neighbours]})
        return
    out = console()
    if not neighbours:
        out.print("no lever decided yet: decide at least one lever to find similar programs")
    for n in neighbours:
        out.print(f"[bold]{n.name}[/bold] ({n.program}, {n.country}) distance {n.distance:.3f}, "
                  f"compared on {n.compared_share:.0%} of the weight")
        for dif in n.differences:
            imputed = " (program unknown: expected distance)" if dif.imputed else ""
            out.print(f"    {dif.lever:<26} design {dif.design!s:<22} program {dif.program!s:<22} "
                      f"+{dif.contribution:.3f}{imputed}")


@app.command("archetypes")
def archetypes_cmd(
    as_json: bool = JSON_OPT,
    svg: Path | None = typer.Option(None, "--svg", help="Also write the atlas map as SVG."),
) -> None:
    """Program models found in the atlas: members, medoid, defining lever ranges, stability."""
    from ..domain.atlas.archetypes import shipped_archetypes

    arcs = shipped_archetypes()
    if svg is not None:
        from ..charts.atlas_map import atlas_map_svg
        from ..domain.atlas.atlas_map import shipped_map

        svg.write_text(atlas_map_svg(shipped_map(), arcs), encoding="utf-8")
    if as_json:
        print_json({"archetypes": [a.model_dump() for a in arcs],
                    "method": "average-linkage clustering of the compare distance; see docs/archetypes.md"})
        return
    out = console()
    for a in arcs:
        out.print(f"[bold]{a.name}[/bold] ({len(a.members)} programs, stability {a.stability:.2f}); "
                  f"medoid {a.medoid}")
        out.print(f"  {a.description}")
        out.print("  members: " + ", ".join(a.members))

"""``brief``: the design brief (one design) or comparison brief (two to four) as PDF, HTML or PNG."""

from __future__ import annotations

from pathlib import Path

import typer

from .main import app


@app.command("brief")
def brief_cmd(
    designs: list[Path] = typer.Argument(..., help="One design file, or two to four to compare side by side.",
                                         show_default=False),
    output: Path = typer.Option(..., "-o", "--output", help="Output file: .pdf, .html or .png (page one).",
                                show_default=False),
    paper: str = typer.Option("a4", "--paper", help="Paper size: a4 or letter."),
    base_url: str = typer.Option(None, "--base-url",
                                 help="Server the scenario URLs point to, e.g. http://127.0.0.1:8050 "
                                      "(default: relative URLs)."),
    note: str = typer.Option(None, "--note", help="A cover note printed under the title."),
    as_json: bool = typer.Option(False, "--json", help="Print {path, format, bytes, pages, designs} as JSON."),
) -> None:
    """Write a design brief to take into a ministry meeting (PDF, HTML or PNG; no network needed)."""
    from ..domain.design import load_design
    from ..domain.errors import InputError, Problem
    from ..export.brief import format_of, write_brief
    from .output import print_json

    problems: list[Problem] = []
    loaded = []
    for path in designs:  # every file's problems at once, exactly as `check` reports them
        try:
            loaded.append(load_design(path))
        except InputError as exc:
            problems.extend(exc.problems)
    try:
        format_of(output)
    except InputError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    result = write_brief(loaded, output, paper=paper.lower(), base_url=base_url, notes=note)
    if as_json:
        print_json(result)
    else:
        pages = f", {result['pages']} pages" if "pages" in result else ""
        typer.echo(f"wrote {result['path']} ({result['format']}{pages}, {result['bytes']:,} bytes)")

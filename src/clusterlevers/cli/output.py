"""Shared CLI output helpers: JSON on stdout, problems on stderr, exit codes."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

EXIT_BAD_INPUT = 2


def print_json(data: Any) -> None:
    """Print one JSON document on stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")


def _default(obj: Any) -> Any:
    if hasattr(obj, "model_dump"):
        return obj.model_dump()
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def fail(lines: list[str] | str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Write one line per problem on stderr and exit (2 by default). Nothing goes to stdout."""
    for line in [lines] if isinstance(lines, str) else lines:
        sys.stderr.write(line.replace("\n", " ") + "\n")
    raise SystemExit(code)


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False)

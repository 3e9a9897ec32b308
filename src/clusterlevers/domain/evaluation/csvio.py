"""Reading evaluation CSV files strictly: size limit, UTF-8, and errors that name line and column.

pandas does the parsing (fast on 50 MB files); every cell is read as text first and converted here,
so a bad cell becomes a :class:`~clusterlevers.domain.errors.Problem` naming the file, the CSV line
(the header is line 1) and the column, instead of a silently coerced NaN.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..documents import read_text
from ..errors import InputError, Problem

MAX_CSV_BYTES = 50_000_000  # 50 MB: a 3,000-firm x 12-year panel with 10 columns is about 3 MB
MAX_PROBLEMS = 20  # report at most this many problems per file; the rest are summarised


@dataclass
class Table:
    """A CSV read as text cells, with the CSV line of every row."""

    frame: pd.DataFrame  # all columns as str ("" for empty cells)
    lines: np.ndarray  # CSV line number (1-based, header = 1) of each row
    source: str

    def problem(self, message: str, row: int | None = None, column: str = "") -> Problem:
        line = int(self.lines[row]) if row is not None else 1 if column else None
        return Problem(message=message, field=column, file=self.source, line=line)


def read_table(path: str | os.PathLike[str], *, max_bytes: int = MAX_CSV_BYTES) -> Table:
    """Read a CSV file as text cells. Refuses missing, huge, non-UTF-8, ragged or header-less files."""
    return parse_table(read_text(path, max_bytes=max_bytes, kind="a CSV file"), str(path))


def parse_table(text: str, source: str) -> Table:
    if not text.strip():
        raise InputError.single("empty file: expected a header row and data rows", file=source, line=1)
    header_line = text.split("\n", 1)[0].rstrip("\r")
    if "\t" in header_line and "," not in header_line:
        raise InputError.single("looks tab-separated; expected comma-separated values", file=source, line=1)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
                            skip_blank_lines=False, skipinitialspace=True, engine="c")
    except pd.errors.ParserError as exc:
        msg = str(exc)
        line = _line_from_parser_error(msg)
        raise InputError.single(f"malformed CSV: {msg.strip()}", file=source, line=line) from None
    except (pd.errors.EmptyDataError, UnicodeError) as exc:
        raise InputError.single(f"malformed CSV: {exc}", file=source, line=1) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    problems: list[Problem] = []
    seen: set[str] = set()
    for col in frame.columns:
        if col.startswith("Unnamed:") or not col:
            problems.append(Problem("empty column name in the header", file=source, line=1, field=col))
        elif col in seen or col.rsplit(".", 1)[0] in seen and col.rsplit(".", 1)[-1].isdigit():
            problems.append(Problem("duplicate column name in the header", file=source, line=1,
                                    field=col.rsplit(".", 1)[0]))
        seen.add(col)
    if problems:
        raise InputError(problems)
    lines = _row_lines(text, len(frame))
    frame = frame.apply(lambda s: s.str.strip())
    empty = (frame == "").all(axis=1).to_numpy()
    if empty.any():  # blank lines are allowed and ignored; keep each remaining row's true line
        frame = frame.loc[~empty].reset_index(drop=True)
        lines = lines[~empty]
    if frame.empty:
        raise InputError.single("no data rows after the header", file=source, line=1)
    return Table(frame=frame, lines=lines, source=source)


def _line_from_parser_error(msg: str) -> int | None:
    import re

    m = re.search(r"line (\d+)", msg)
    return int(m.group(1)) if m else None


def _row_lines(text: str, n_rows: int) -> np.ndarray:
    """CSV line of each data row. Fast path when no quoted field can span lines."""
    if '"' not in text:
        return np.arange(2, n_rows + 2)
    reader = csv.reader(io.StringIO(text))
    next(reader, None)
    starts: list[int] = []
    prev = reader.line_num
    for _ in reader:
        starts.append(prev + 1)
        prev = reader.line_num
    arr = np.array(starts[:n_rows] + [0] * max(0, n_rows - len(starts)))
    return arr


# ------------------------------------------------------------------ column checks

def require_columns(table: Table, required: tuple[str, ...], aliases: dict[str, str] | None = None) -> None:
    aliases = aliases or {}
    cols = set(table.frame.columns)
    for alias, name in aliases.items():
        if alias in cols and name not in cols:
            table.frame = table.frame.rename(columns={alias: name})
            cols = set(table.frame.columns)
    missing = [c for c in required if c not in cols]
    if missing:
        import difflib

        problems = []
        for c in missing:
            close = difflib.get_close_matches(c, sorted(cols), n=1, cutoff=0.7)
            hint = f" (found '{close[0]}': did you mean '{c}'?)" if close else ""
            header = ", ".join(table.frame.columns)
            problems.append(table.problem(f"required column is missing{hint}; header has: {header}", column=c))
        raise InputError(problems)


def bad_cells(table: Table, column: str, mask: np.ndarray, what: str, problems: list[Problem]) -> None:
    """Add one problem per flagged row (up to MAX_PROBLEMS in total)."""
    rows = np.flatnonzero(mask)
    values = table.frame[column].to_numpy()
    for r in rows:
        if len(problems) >= MAX_PROBLEMS:
            return
        problems.append(table.problem(f"{what}, got {values[r]!r}" if values[r] != "" else f"{what}, got an empty cell",
                                      int(r), column))


def to_number(table: Table, column: str, problems: list[Problem], *, allow_empty: bool = True,
              integer: bool = False, minimum: float | None = None, maximum: float | None = None,
              what: str = "a number") -> pd.Series:
    """Convert a text column to float; empty cells become NaN (or a problem when not allowed)."""
    s = table.frame[column]
    empty = (s == "").to_numpy()
    num = pd.to_numeric(s.where(s != "", None), errors="coerce").astype(float)
    arr = num.to_numpy()
    bad = ~empty & ~np.isfinite(arr)
    bad_cells(table, column, bad, f"expected {what}", problems)
    if not allow_empty:
        bad_cells(table, column, empty, f"expected {what}", problems)
    ok = np.isfinite(arr)
    if integer:
        bad_cells(table, column, ok & (np.floor(arr) != arr), f"expected a whole number ({what})", problems)
    if minimum is not None:
        bad_cells(table, column, ok & (arr < minimum), f"expected {what} >= {minimum:g}", problems)
    if maximum is not None:
        bad_cells(table, column, ok & (arr > maximum), f"expected {what} <= {maximum:g}", problems)
    return num


def duplicate_keys(table: Table, keys: list[str], problems: list[Problem]) -> None:
    dup = table.frame.duplicated(subset=keys, keep="first").to_numpy()
    if dup.any():
        first = table.frame.drop_duplicates(subset=keys, keep="first")
        first_line = dict(zip(map(tuple, first[keys].to_numpy()), table.lines[first.index.to_numpy()], strict=False))
        for r in np.flatnonzero(dup):
            if len(problems) >= MAX_PROBLEMS:
                return
            key = tuple(table.frame.loc[r, keys])
            problems.append(table.problem(f"duplicate row for {', '.join(keys)} = {', '.join(map(str, key))} "
                                          f"(first at line {first_line.get(key)})", int(r), keys[-1]))


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)

"""Reading YAML and JSON documents safely, keeping the line of every field.

Why hand-written on top of PyYAML's composer rather than ``yaml.safe_load``: safe_load silently
keeps the last of duplicate keys, expands aliases (the "billion laughs" bomb) and forgets line
numbers. Composing the node tree ourselves lets us refuse duplicates and aliases and report the
line of every field, with no extra dependency.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

MAX_BYTES = 1_000_000  # 1 MB: design files are a few KB; anything bigger is a mistake or an attack
MAX_NODES = 50_000
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed document: its data, where it came from, and the line of each field path."""

    data: Any
    source: str
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, *path: str | int) -> int | None:
        """Line of the deepest known ancestor of ``path`` (1-based), or None."""
        p: Path_ = tuple(path)
        while True:
            if p in self.lines:
                return self.lines[p]
            if not p:
                return None
            p = p[:-1]

    def problem(self, message: str, *path: str | int, field_name: str | None = None) -> Problem:
        fname = field_name if field_name is not None else ".".join(str(x) for x in path)
        return Problem(message=message, field=fname, file=self.source, line=self.line_of(*path))


def read_text(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES, kind: str = "a YAML or JSON file") -> str:
    """Read a text file, refusing missing files, directories, huge files and non-UTF-8 bytes."""
    p = Path(path)
    src = str(path)
    if not p.exists():
        raise InputError.single("file not found", file=src)
    if p.is_dir():
        raise InputError.single(f"is a directory, expected {kind}", file=src)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError.single(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit", file=src)
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError.single(f"cannot read file: {exc.strerror or exc}", file=src) from None
    return decode_bytes(raw, src, max_bytes=max_bytes)


def decode_bytes(raw: bytes, source: str, *, max_bytes: int = MAX_BYTES) -> str:
    if len(raw) > max_bytes:
        raise InputError.single(f"input is {len(raw):,} bytes, over the {max_bytes:,}-byte limit", file=source)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                                file=source, line=line) from None
    return text.removeprefix("\ufeff")


def load_document(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Document:
    """Load a YAML or JSON file (by extension; YAML otherwise) into a :class:`Document`."""
    text = read_text(path, max_bytes=max_bytes)
    fmt = "json" if str(path).lower().endswith(".json") else "yaml"
    return parse_text(text, str(path), fmt=fmt)


def parse_text(text: str, source: str, *, fmt: str = "yaml") -> Document:
    if fmt == "json":
        return _parse_json(text, source)
    return _parse_yaml(text, source)


# ---------------------------------------------------------------- JSON

def _parse_json(text: str, source: str) -> Document:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise _DupKey(k)
            out[k] = v
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except _DupKey as exc:
        line = _json_key_line(text, exc.key, occurrence=2)
        raise InputError.single("duplicate key", field=exc.key, file=source, line=line) from None
    except json.JSONDecodeError as exc:
        raise InputError.single(f"malformed JSON: {exc.msg} (column {exc.colno})", file=source,
                                line=exc.lineno) from None
    except RecursionError:
        raise InputError.single("document nested too deeply", file=source) from None
    doc = Document(data=data, source=source)
    # Best-effort field lines for JSON: the first line where "key": appears.
    if isinstance(data, dict):
        for key, value in data.items():
            ln = _json_key_line(text, key)
            if ln:
                doc.lines[(key,)] = ln
            if isinstance(value, dict):
                for sub in value:
                    sl = _json_key_line(text, sub, after=ln or 1)
                    if sl:
                        doc.lines[(key, sub)] = sl
    return doc


class _DupKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _json_key_line(text: str, key: str, after: int = 1, occurrence: int = 1) -> int | None:
    """Line of the ``occurrence``-th appearance of ``"key":`` at or after line ``after`` (best effort)."""
    needle = json.dumps(key) + ":"
    seen = 0
    for i, line in enumerate(text.splitlines()[after - 1:], start=after):
        seen += line.replace(" :", ":").count(needle)
        if seen >= occurrence:
            return i
    return None


# ---------------------------------------------------------------- YAML

class _AliasFound(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader whose composer stops at the first alias (no alias is ever expanded)."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            raise _AliasFound(self.peek_event().start_mark)
        return super().compose_node(parent, index)  # type: ignore[arg-type]


def _parse_yaml(text: str, source: str) -> Document:
    try:
        node = yaml.compose(text, Loader=_NoAliasLoader)
    except _AliasFound as exc:
        raise InputError.single("YAML aliases (*name) are not allowed", file=source,
                                line=exc.mark.line + 1) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "syntax error"
        raise InputError.single(f"malformed YAML: {what}", file=source, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError.single(f"malformed YAML: {exc}", file=source) from None
    except RecursionError:
        raise InputError.single("document nested too deeply", file=source) from None
    doc = Document(data=None, source=source)
    if node is None:
        return doc
    builder = _Builder(doc)
    doc.data = builder.build(node, ())
    return doc


class _Builder:
    """Turns a composed YAML node tree into plain Python data, checking as it goes."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.count = 0
        self.constructor = yaml.SafeLoader("")  # used only to construct scalars with YAML 1.1 rules
        self.seen: set[int] = set()

    def fail(self, message: str, node: yaml.Node, path: Path_) -> InputError:
        return InputError.single(message, field=".".join(str(p) for p in path), file=self.doc.source,
                                 line=node.start_mark.line + 1)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(f"document has more than {MAX_NODES:,} nodes", node, path)
        if len(path) > MAX_DEPTH:
            raise self.fail("document nested too deeply", node, path)
        # PyYAML resolves an alias to the very same node object: seeing a node twice means an alias.
        if id(node) in self.seen:
            raise self.fail("YAML aliases (*name) are not allowed", node, path)
        self.seen.add(id(node))
        self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail("YAML merge keys (<<) are not allowed", key_node, path)
                key = self.build(key_node, path + ("<key>",))
                if isinstance(key, (dict, list)):
                    raise self.fail("mapping keys must be plain values", key_node, path)
                if key in out:
                    raise self.fail("duplicate key", key_node, path + (str(key),))
                kpath = path + (str(key),)
                self.doc.lines[kpath] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, kpath)
                self.doc.lines[kpath] = key_node.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.fail(f"bad value: {exc}", node, path) from None

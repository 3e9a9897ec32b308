"""Small helpers for hand-built SVG: escaping and number formatting (no external references)."""

from __future__ import annotations

from html import escape


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"]

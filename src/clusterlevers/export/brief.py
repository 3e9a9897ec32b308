"""The design brief: one design, or two to four side by side, as self-contained HTML, PDF or PNG.

Rendered through the page's Jinja2 environment (``clusterlevers.render``) so the brief shows the same
partials and SVG charts as the navigation panel. Nothing is fetched over the network: the print
stylesheet is inlined, charts are inline SVG and text uses the system's DejaVu fonts.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

from ..domain.design import Design
from ..domain.errors import InputError, Problem

FORMATS = ("pdf", "html", "png")
PAPERS = {"a4": "A4", "letter": "letter"}
MAX_DESIGNS = 4
PNG_DPI = 150
_INTERNAL_LINK = re.compile(r'<a href="(/[^"]*)"[^>]*>(.*?)</a>', re.S)


def _check_args(designs: list[Design], paper: str, base_url: str | None) -> None:
    problems = []
    if not 1 <= len(designs) <= MAX_DESIGNS:
        problems.append(Problem(f"a brief takes one design, or two to four to compare; got {len(designs)}",
                                field="designs"))
    if paper not in PAPERS:
        problems.append(Problem(f"paper must be one of {', '.join(PAPERS)}, got {paper!r}", field="paper"))
    if base_url is not None and not re.match(r"^https?://[^\s/?#<>\"']+(:\d+)?(/[^\s<>\"']*)?$", base_url):
        problems.append(Problem(f"base URL must look like http://host:port, got {base_url!r}", field="base_url"))
    if problems:
        raise InputError(problems)


def _css(paper: str) -> str:
    from importlib import resources

    css = resources.files("clusterlevers").joinpath("templates", "brief", "brief.css").read_text("utf-8")
    return css.replace("__PAPER__", PAPERS[paper])


def _relink(html: str, base_url: str | None) -> str:
    """Links into the app (``/programs/…``) become absolute with a base URL, plain text without one."""
    if base_url:
        root = base_url.rstrip("/")
        return _INTERNAL_LINK.sub(lambda m: f'<a href="{root}{m.group(1)}">{m.group(2)}</a>', html)
    return _INTERNAL_LINK.sub(lambda m: f'<span class="ref">{m.group(2)}</span>', html)


def render_brief_html(designs: list[Design], *, base_url: str | None = None, notes: str | None = None,
                      paper: str = "a4") -> str:
    """Render the brief as one self-contained HTML document.

    Args:
        designs: one design (a design brief) or two to four (a comparison brief).
        base_url: the server the scenario URLs and program links point to (e.g. ``http://127.0.0.1:8050``);
            without it scenario URLs are relative and program links are plain text.
        notes: optional cover note printed under the title (e.g. the purpose of the meeting).
        paper: ``a4`` or ``letter``.
    """
    from ..render import render
    from .context import design_context, provenance

    _check_args(designs, paper, base_url)
    items = [design_context(d, base_url=base_url) for d in designs]
    prov = provenance(designs, base_url)
    common = {"items": items, "prov": prov, "cover_note": notes, "css": _css(paper), "paper": paper}
    if len(items) == 1:
        html = render("brief/brief.html", **items[0], **common)
    else:
        from .compare import compare_context

        html = render("brief/compare_brief.html", **compare_context(items), **common)
    return _relink(html, base_url)


def html_to_pdf(html: str) -> bytes:
    """PDF bytes from a brief's HTML (WeasyPrint; no network: the document references nothing external)."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return bytes(HTML(string=html, base_url=None, url_fetcher=_offline_fetcher()).write_pdf())


def _offline_fetcher() -> Any:
    """A URL fetcher that fetches nothing but ``data:`` URIs: rendering never touches the network."""
    try:
        from weasyprint.urls import URLFetcher  # WeasyPrint >= 66
    except ImportError:  # older WeasyPrint: a plain function
        from weasyprint import default_url_fetcher  # type: ignore[attr-defined]

        def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"the brief fetches nothing over the network; refused {url}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols=["data"])


def pdf_to_png(pdf: bytes, page: int = 0, dpi: int = PNG_DPI) -> bytes:
    """Rasterise one PDF page to PNG bytes (pypdfium2)."""
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[page].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def render_brief(designs: list[Design], fmt: str = "pdf", *, base_url: str | None = None,
                 notes: str | None = None, paper: str = "a4") -> bytes:
    """The brief as bytes: ``pdf``, ``html`` (UTF-8) or ``png`` (page one at 150 dpi)."""
    if fmt not in FORMATS:
        raise InputError.single(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}", field="format")
    html = render_brief_html(designs, base_url=base_url, notes=notes, paper=paper)
    if fmt == "html":
        return html.encode("utf-8")
    pdf = html_to_pdf(html)
    return pdf if fmt == "pdf" else pdf_to_png(pdf)


def format_of(path: str | os.PathLike[str]) -> str:
    ext = Path(path).suffix.lower().lstrip(".")
    if ext == "htm":
        ext = "html"
    if ext not in FORMATS:
        raise InputError.single(f"cannot tell the format from the extension '.{ext}': use .pdf, .html or .png",
                                field="output", file=os.fspath(path))
    return ext


def write_brief(designs: list[Design], path: str | os.PathLike[str], fmt: str | None = None, *,
                base_url: str | None = None, notes: str | None = None, paper: str = "a4") -> dict[str, Any]:
    """Render and write the brief atomically (temporary file in the same folder, then rename).

    The format comes from ``fmt`` or the file extension (.pdf, .html, .png). Returns
    ``{path, format, bytes, pages}`` (pages only for PDF). Raises :class:`InputError` for bad arguments or an
    unwritable path; nothing is left half-written.
    """
    target = Path(path)
    fmt = fmt or format_of(target)
    if fmt not in FORMATS:
        raise InputError.single(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}", field="format")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError.single("the output folder does not exist", field="output", file=os.fspath(target))
    data = render_brief(designs, fmt, base_url=base_url, notes=notes, paper=paper)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError.single(f"cannot write the brief: {exc.strerror or exc}", field="output",
                                file=os.fspath(target)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    out: dict[str, Any] = {"path": os.fspath(target), "format": fmt, "bytes": len(data),
                           "designs": [d.name for d in designs]}
    if fmt == "pdf":
        out["pages"] = pdf_page_count(data)
    return out


def pdf_page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()

"""The PDF brief: its text carries the design, every lever and the provenance; its pages print cleanly."""

from __future__ import annotations

import io
import re

import numpy as np
import pypdf
import pypdfium2 as pdfium
import pytest

from clusterlevers import __version__
from clusterlevers.domain.atlas.loader import atlas_version
from clusterlevers.domain.canvas import load_canvas
from clusterlevers.export.context import scenario_hash

from .conftest import MM


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def pages_as_arrays(pdf: bytes, dpi: int = 60) -> list[tuple[np.ndarray, float]]:
    """(greyscale pixels, pixels per mm) for every page."""
    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        for page in doc:
            img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            out.append((np.asarray(img), dpi / 25.4))
        return out
    finally:
        doc.close()


def test_text_has_design_name_every_lever_and_provenance(canada, canada_pdf):
    text = pdf_text(canada_pdf)
    assert canada.name in text
    for lever in load_canvas().levers:
        assert lever.name in text, lever.name
    assert __version__ in text
    assert atlas_version() in text
    assert scenario_hash(canada) in text
    assert "not decided" in text  # revenue_transition is left undecided in the example
    assert canada.notes["revenue_transition"][:40] in text  # the designer's note


def test_text_has_findings_neighbours_projection_and_plan(canada_pdf):
    text = pdf_text(canada_pdf)
    for heading in ("Three things to know", "The canvas at a glance", "Tensions and checks", "Nearest real programs",
                    "Archetype and atlas map", "Financing projection", "evidence grades", "Evaluation plan",
                    "Methods proposed", "Sources", "Provenance"):
        assert heading in text, heading
    assert "assumption" in text  # the key figures carry their evidence grade
    assert "A build ambition on a short funding horizon" in text  # the most serious finding, named on page one


def test_page_one_is_not_blank_and_keeps_white_margins(canada_pdf):
    pages = pages_as_arrays(canada_pdf)
    px, per_mm = pages[0]
    ink = (px < 200).mean()
    assert ink > 0.02, "page one is (nearly) blank"
    edge = int(5 * per_mm)  # page margins are 15-18 mm, the footer sits in the bottom one
    side = int(10 * per_mm)
    for strip in (px[:edge, :], px[-edge:, :], px[:, :side], px[:, -side:]):
        assert strip.min() > 240, "something prints into the page margin (clipped or overflowing)"


def test_no_page_overflows_sideways(canada_pdf):
    for i, (px, per_mm) in enumerate(pages_as_arrays(canada_pdf)):
        side = int(12 * per_mm)  # side margins are 15 mm: content wider than the text block shows up here
        assert px[:, :side].min() > 240 and px[:, -side:].min() > 240, f"page {i + 1} overflows its side margins"


def test_a4_is_the_default_paper(canada_pdf):
    page = pypdf.PdfReader(io.BytesIO(canada_pdf)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(210 * MM, abs=1)
    assert float(page.mediabox.height) == pytest.approx(297 * MM, abs=1)


def test_letter_paper_and_png(canada, tmp_path):
    from clusterlevers.export.brief import write_brief

    out = write_brief([canada], tmp_path / "brief.pdf", paper="letter")
    assert out["format"] == "pdf" and out["pages"] >= 5
    page = pypdf.PdfReader(tmp_path / "brief.pdf").pages[0]
    assert float(page.mediabox.width) == pytest.approx(612, abs=1)
    assert float(page.mediabox.height) == pytest.approx(792, abs=1)
    for i, (px, per_mm) in enumerate(pages_as_arrays((tmp_path / "brief.pdf").read_bytes())):
        side = int(12 * per_mm)
        assert px[:, :side].min() > 240 and px[:, -side:].min() > 240, f"letter page {i + 1} overflows"

    png = write_brief([canada], tmp_path / "brief.png")
    data = (tmp_path / "brief.png").read_bytes()
    assert png["format"] == "png" and data[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    img = Image.open(io.BytesIO(data))
    assert img.size[0] == pytest.approx(210 / 25.4 * 150, abs=1.5)  # page one of A4 at 150 dpi
    assert img.size[1] == pytest.approx(297 / 25.4 * 150, abs=1.5)


def test_four_design_comparison_prints_within_the_page(canada, norway):
    from clusterlevers.domain.design import load_design
    from clusterlevers.export.brief import html_to_pdf, render_brief_html

    from .conftest import EXAMPLES

    designs = [canada, norway, load_design(EXAMPLES / "ten-year-taper.yaml"), load_design(EXAMPLES / "blank.yaml")]
    pdf = html_to_pdf(render_brief_html(designs))
    text = pdf_text(pdf)
    assert "4 designs side by side" in text
    for d in designs:
        assert scenario_hash(d) in text
    for i, (px, per_mm) in enumerate(pages_as_arrays(pdf)):
        side = int(12 * per_mm)
        assert px[:, :side].min() > 240 and px[:, -side:].min() > 240, f"comparison page {i + 1} overflows"

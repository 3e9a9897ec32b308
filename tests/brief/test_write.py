"""Writing the brief: format from the extension, atomic, clear errors."""

from __future__ import annotations

import pytest

import clusterlevers.export.brief as brief
from clusterlevers.domain.errors import InputError

from .conftest import small_design


def test_format_from_extension_and_html_written(tmp_path):
    out = brief.write_brief([small_design("A")], tmp_path / "a.HTML")
    assert out["format"] == "html" and out["bytes"] == (tmp_path / "a.HTML").stat().st_size
    assert (tmp_path / "a.HTML").read_text(encoding="utf-8").startswith("<!doctype html>")


@pytest.mark.parametrize("name", ["a.docx", "a", "a.pdf.txt"])
def test_unknown_extension_is_refused(tmp_path, name):
    with pytest.raises(InputError) as exc:
        brief.write_brief([small_design("A")], tmp_path / name)
    assert exc.value.problems[0].field == "output"
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_refused(tmp_path):
    with pytest.raises(InputError) as exc:
        brief.write_brief([small_design("A")], tmp_path / "nope" / "a.pdf")
    assert "folder does not exist" in exc.value.problems[0].message


def test_a_failing_render_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"old brief")

    def broken(html):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(brief, "html_to_pdf", broken)
    with pytest.raises(RuntimeError):
        brief.write_brief([small_design("A")], target)
    assert target.read_bytes() == b"old brief"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf"]


def test_a_failing_write_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "brief.html"

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(brief.os, "replace", broken_replace)
    with pytest.raises(InputError) as exc:
        brief.write_brief([small_design("A")], target)
    assert "No space left on device" in exc.value.problems[0].message
    assert list(tmp_path.iterdir()) == []

"""Build the wheel, install it into a fresh virtual environment and run the installed command.

This catches data files missing from the package. The fresh environment gets the project's
dependencies through a .pth line pointing at the current environment's site-packages (no network,
no second copy of numpy), but clusterlevers itself comes only from the wheel: an editable install
in the current environment is not activated through such a line, and the test asserts it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    dist = tmp / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(dist), str(ROOT)], check=True, capture_output=True, timeout=300)
    wheel = next(dist.glob("clusterlevers-*.whl"))
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    site = Path(subprocess.check_output([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True, capture_output=True, timeout=300)
    return env_dir, tmp


def _run(env_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(env_dir / "bin" / "clusterlevers"), *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_installed_package_comes_from_the_wheel(installed):
    env_dir, tmp = installed
    where = subprocess.check_output([str(env_dir / "bin" / "python"), "-c",
                                     "import clusterlevers; print(clusterlevers.__file__)"], text=True, cwd=tmp)
    assert str(env_dir) in where


def test_installed_levers_json(installed):
    env_dir, tmp = installed
    r = _run(env_dir, tmp, "levers", "--json")
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) == 16


def test_installed_check_and_atlas(installed):
    env_dir, tmp = installed
    r = _run(env_dir, tmp, "check", str(ROOT / "examples" / "canada-isi-2017.yaml"), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["derived"]["total_public_budget_m"] == 950
    r = _run(env_dir, tmp, "atlas", "validate")
    assert r.returncode == 0, r.stderr
    r = _run(env_dir, tmp, "compare", str(ROOT / "examples" / "norway-nic-2014.yaml"), "--json")
    assert r.returncode == 0, r.stderr

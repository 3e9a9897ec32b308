"""Financing transition: how funded cluster organisations move from public to private revenue.

A vectorised Monte Carlo over (draws, clusters) with time as the only loop; parameters with
distributions, evidence grades and sources live in ``data/financing/parameters.yaml``.
Public API: :func:`simulate`, :func:`project_median`, :func:`sensitivity`, :func:`calibrate`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .parameters import load_parameters
from .result import SimulationResult
from .simulate import project_median, simulate

if TYPE_CHECKING:
    from .calibration import calibrate
    from .sensitivity_analysis import sensitivity

__all__ = ["SimulationResult", "calibrate", "load_parameters", "project_median", "sensitivity", "simulate"]


def __getattr__(name: str) -> Any:  # sensitivity (SALib) and calibration (scipy, pandas) load on first use
    if name == "sensitivity":
        from .sensitivity_analysis import sensitivity

        return sensitivity
    if name == "calibrate":
        from .calibration import calibrate

        return calibrate
    raise AttributeError(name)

"""Evaluation of running cluster programs: logic model and KPIs, monitoring panels, impact estimates.

Public API (stable):

* :func:`logic_model` -> :class:`LogicModel` (``.to_csv``, ``.to_yaml``, ``.as_dict``)
* :func:`load_monitoring_panel`, :func:`kpi_series`
* :func:`estimate` -> :class:`EvaluationResult` (``.as_dict``)
* :mod:`.synthetic` generators with known true effects
"""

from __future__ import annotations

from typing import Any

__all__ = ["EvaluationResult", "LogicModel", "estimate", "kpi_series", "load_monitoring_panel", "logic_model",
           "monitoring_kpis"]

_LAZY = {
    "EvaluationResult": ".result", "estimate": ".impact", "load_monitoring_panel": ".panels",
    "LogicModel": ".logic", "logic_model": ".logic", "kpi_series": ".monitoring",
    "monitoring_kpis": ".monitoring",
}


def __getattr__(name: str) -> Any:  # lazy: importing the package does not import pandas or scikit-learn
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(name)

"""clusterlevers: design, compare and evaluate national cluster programs on the 16-lever canvas.

The notebook API (imported lazily so that ``import clusterlevers`` stays fast)::

    import clusterlevers as cl
    cl.levers()                         # the 16 levers of the canvas
    d = cl.load_design("examples/norway-nic-2014.yaml")
    cl.derive(d)                        # budget figures
    cl.check(d)                         # derived figures, program type, findings
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "levers": "clusterlevers.domain.canvas",
    "load_canvas": "clusterlevers.domain.canvas",
    "Lever": "clusterlevers.domain.canvas",
    "Design": "clusterlevers.domain.design",
    "Context": "clusterlevers.domain.design",
    "load_design": "clusterlevers.domain.design",
    "parse_design": "clusterlevers.domain.design",
    "derive": "clusterlevers.domain.derived",
    "check": "clusterlevers.domain.check",
    "InputError": "clusterlevers.domain.errors",
    "Problem": "clusterlevers.domain.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'clusterlevers' has no attribute {name!r}")
    return getattr(import_module(module), name)

"""``check``: everything the canvas says about one design, as plain data."""

from __future__ import annotations

from typing import Any

from .derived import derive
from .design import Design


def check(design: Design) -> dict[str, Any]:
    """Derived figures, program type and coherence findings of a design (the ``check --json`` document)."""
    from .coherence import classify_program, evaluate_rules  # local: keeps `import clusterlevers` light
    from .contexts import similar_contexts

    derived = derive(design)
    findings = evaluate_rules(design, derived)
    return {
        "design": design.to_document(),
        "derived": derived.model_dump(),
        "undecided": derived.undecided,
        "program_type": classify_program(design),
        "findings": [f.model_dump() for f in findings],
        "similar_contexts": similar_contexts(design),
    }

"""Coherence: rules that explain a design's tensions with evidence, and the program-type classifier.

Public API::

    evaluate_rules(design, derived) -> list[Finding]   # every rule file in data/rules/
    classify_program(design) -> dict                  # innovation_cluster | supercluster | nation_shaping
    load_rules(directory=None) -> list[Rule]          # validated rule files (InputError on problems)
    glossary(term=None) -> list[dict]                 # data/glossary.yaml

Rules are data: adding a rule means adding ``data/rules/<id>.yaml`` and its two fixtures under
``tests/coherence/fixtures/<id>/`` (see docs/rules.md). No code changes.
"""

from __future__ import annotations

from .classify import classify_program, load_program_types
from .engine import Finding, evaluate_rules
from .glossary import glossary
from .rules import Rule, load_rule_file, load_rules

__all__ = ["Finding", "Rule", "classify_program", "evaluate_rules", "glossary", "load_program_types",
           "load_rule_file", "load_rules"]

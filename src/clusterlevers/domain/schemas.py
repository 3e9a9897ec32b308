"""JSON Schemas for the shipped data files and for design files, generated from the models.

The generated files live in ``data/schemas/`` and are referenced from the data files
(``# yaml-language-server: $schema=...``) so editors validate them; a test keeps them in step.
"""

from __future__ import annotations

import json
from typing import Any

from .canvas import Canvas, load_canvas
from .design import NOT_DECIDED, Context


def canvas_schema() -> dict[str, Any]:
    schema = Canvas.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "clusterlevers canvas (levers and areas)"
    return schema


def design_schema() -> dict[str, Any]:
    """Schema of a design file, with one property per lever (its positions or its range)."""
    canvas = load_canvas()
    undecided: dict[str, Any] = {"anyOf": [{"type": "null"}, {"enum": [n for n in NOT_DECIDED if n]}]}
    props: dict[str, Any] = {}
    for lv in canvas.levers:
        if lv.kind == "ordinal":
            value: dict[str, Any] = {"enum": lv.position_ids}
        else:
            value = {"type": "integer" if lv.integer else "number"}
            if not lv.money:  # money ranges are checked in EUR after conversion, not in the file's currency
                value.update({"minimum": lv.min, "maximum": lv.max})
        props[lv.id] = {"title": lv.name, "description": lv.definition, "anyOf": [value, undecided]}
    ctx = Context.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "clusterlevers design file",
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "description": {"type": "string", "maxLength": 5000},
            "context": {k: v for k, v in ctx.items() if k != "title"},
            "levers": {"type": "object", "additionalProperties": False, "properties": props},
            "notes": {"type": "object", "additionalProperties": False,
                      "properties": {lv.id: {"type": "string"} for lv in canvas.levers}},
        },
    }


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, for every schema shipped in data/schemas."""
    out = {"canvas.schema.json": canvas_schema(), "design.schema.json": design_schema()}
    try:
        from .atlas.model import program_schema
    except ImportError:  # atlas not present yet
        return out
    out["program.schema.json"] = program_schema()
    return out


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"

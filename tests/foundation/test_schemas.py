import json
from pathlib import Path

from clusterlevers.domain.schemas import all_schemas, dumps

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "src/clusterlevers/data/schemas"


def test_shipped_schemas_are_up_to_date():
    """Regenerate with `python scripts/gen_schemas.py` when a model or the canvas changes."""
    for name, schema in all_schemas().items():
        shipped = SCHEMA_DIR / name
        assert shipped.exists(), f"{name} missing: run scripts/gen_schemas.py"
        assert shipped.read_text(encoding="utf-8") == dumps(schema), f"{name} is stale: run scripts/gen_schemas.py"


def test_design_schema_lists_every_lever_and_position():
    schema = json.loads((SCHEMA_DIR / "design.schema.json").read_text())
    props = schema["properties"]["levers"]["properties"]
    assert len(props) == 16
    assert props["ambition_level"]["anyOf"][0]["enum"] == ["network_support", "grow", "transform", "build"]
    assert props["portfolio_size"]["anyOf"][0]["maximum"] == 150


def test_data_files_reference_their_schema():
    root = Path(__file__).resolve().parents[2]
    assert "$schema=schemas/canvas.schema.json" in (root / "src/clusterlevers/data/canvas.yaml").read_text()
    for ex in (root / "examples").glob("*.yaml"):
        assert "design.schema.json" in ex.read_text().splitlines()[0], ex

"""Regenerate the JSON Schemas shipped in src/clusterlevers/data/schemas/ from the models."""

from pathlib import Path

from clusterlevers.domain.schemas import all_schemas, dumps

OUT = Path(__file__).resolve().parents[1] / "src/clusterlevers/data/schemas"

if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for name, schema in all_schemas().items():
        (OUT / name).write_text(dumps(schema), encoding="utf-8")
        print("wrote", OUT / name)

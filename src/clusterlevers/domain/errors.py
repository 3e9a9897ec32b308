"""Input problems and the error that carries them.

Every adapter turns an :class:`InputError` into its own channel: exit code 2 and one line per
problem on the CLI, HTTP 422 with the field on the API.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, line, field) and what."""

    message: str
    field: str = ""
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        parts = [where]
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class InputError(ValueError):
    """Raised when an input has one or more problems; nothing has been changed."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    @classmethod
    def single(cls, message: str, *, field: str = "", file: str = "", line: int | None = None) -> InputError:
        return cls([Problem(message=message, field=field, file=file, line=line)])

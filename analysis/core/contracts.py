"""The key-figures contract between a stage and the reports.

Each stage writes the numbers and short strings the reports quote to a ``key_figures.yaml``
whose JSON Schema lives in ``workflow/schemas/key_figures/``. The file is validated against
its schema when it is written and again when the report layer reads it, so a missing,
renamed or mistyped key stops the run with an error naming the key and the file, instead of
turning into a silent default in a sentence of a report.

:class:`KeyFigures` is what a reader gets back: a read-only mapping whose missing keys raise
:class:`KeyFigureError` (naming file and dotted key) and which has no ``get`` with a default.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import yaml


class KeyFigureError(KeyError):
    """A key-figures file does not match its schema, or a key was asked for that is not there."""

    def __str__(self) -> str:  # KeyError quotes its argument; show the message as written
        return str(self.args[0])


def _where(path) -> str:
    parts = [str(p) for p in path]
    return ".".join(parts) if parts else "(top level)"


def describe_schema_error(err) -> str:
    """What a JSON Schema error expected, in words, without repeating the offending value (an
    input may hold personal data; the message names only the key and the rule)."""
    v, rule = err.validator, err.validator_value
    if v == "type":
        kinds = rule if isinstance(rule, list) else [rule]
        return "expected " + " or ".join("nothing (null)" if k == "null" else k for k in kinds)
    if v == "enum":
        return "expected one of: " + ", ".join(str(x) for x in rule)
    if v == "const":
        return f"expected {rule!r}"
    if v in ("minimum", "exclusiveMinimum"):
        return f"expected a value {'>=' if v == 'minimum' else '>'} {rule}"
    if v in ("maximum", "exclusiveMaximum"):
        return f"expected a value {'<=' if v == 'maximum' else '<'} {rule}"
    if v == "pattern":
        return f"does not have the expected form ({rule})"
    if v == "minLength":
        return "is empty; expected text"
    if v == "minItems":
        return f"expected at least {rule} entr{'y' if rule == 1 else 'ies'}"
    if v == "maxItems":
        return f"expected at most {rule} entries"
    return f"breaks the rule '{v}'"


def validation_problems(data, schema: dict, label: str) -> list[str]:
    """Every way ``data`` breaks ``schema``, one line each, sorted; empty when it conforms."""
    from jsonschema import Draft202012Validator

    problems = []
    for err in Draft202012Validator(schema).iter_errors(data):
        where = _where(err.absolute_path)
        if err.validator == "required":
            missing = [k for k in err.validator_value if k not in (err.instance or {})]
            problems += [
                f"{label}: key '{_where([*err.absolute_path, k])}' is missing" for k in missing
            ]
        elif err.validator == "additionalProperties":
            allowed = set(err.schema.get("properties", {}))
            extra = sorted(k for k in err.instance if k not in allowed)
            problems += [
                f"{label}: key '{_where([*err.absolute_path, k])}' is not in the schema "
                "(renamed? add it to the schema first)"
                for k in extra
            ]
        else:
            problems.append(f"{label}: key '{where}': {err.message}")
    return sorted(set(problems))


def check_key_figures(data: dict, schema: dict, label: str) -> None:
    """Raise :class:`KeyFigureError` listing every problem when ``data`` breaks ``schema``."""
    problems = validation_problems(data, schema, label)
    if problems:
        raise KeyFigureError(
            "key figures do not match their schema:\n  - " + "\n  - ".join(problems)
        )


def write_key_figures(data: dict, path: str | Path, schema: dict) -> Path:
    """Validate ``data`` against ``schema``, then write it as YAML (sorted keys, UTF-8)."""
    from analysis.core.io import write_yaml

    check_key_figures(data, schema, str(path))
    return write_yaml(data, path)


def read_key_figures(path: str | Path, schema: dict) -> KeyFigures:
    """Read a key-figures file, validate it against ``schema`` and return it as :class:`KeyFigures`."""
    path = Path(path)
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    check_key_figures(data, schema, str(path))
    return KeyFigures(data, str(path))


class KeyFigures(Mapping):
    """Validated key figures: missing keys are errors that name the file and the key."""

    def __init__(self, data: Mapping, source: str, prefix: str = ""):
        self._data = dict(data)
        self._source = source
        self._prefix = prefix

    def __getitem__(self, key):
        dotted = f"{self._prefix}{key}"
        if key not in self._data:
            raise KeyFigureError(f"{self._source}: no key '{dotted}'")
        value = self._data[key]
        if isinstance(value, Mapping):
            return KeyFigures(value, self._source, dotted + ".")
        return value

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key, default=None):
        raise TypeError(
            f"{self._source}: key figures have no defaults; use [{key!r}] (the schema says "
            "which keys always exist)"
        )

    def to_dict(self) -> dict:
        """A plain copy (for YAML or tests)."""
        return {k: (v.to_dict() if isinstance(v, KeyFigures) else v) for k, v in self.items()}

    def __repr__(self) -> str:
        return f"KeyFigures({self._source!r}, {len(self)} keys)"

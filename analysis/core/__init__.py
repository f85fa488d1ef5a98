"""What every stage shares.

Modules:

- ``io``: deterministic CSV/YAML writing and reading, and ``run_script`` (logging, located
  input errors) for the workflow's scripts;
- ``problems``: located input errors (``InputProblem``, ``InputError``) and ``RawTable``,
  which name only the columns and sheets the schemas expect and locate the rest by position;
- ``readers``: reading CSV and xlsx inputs as text, headers tidied the same way for both;
- ``tables``: validating them against their row schemas (strict numbers included), with
  errors that name file, sheet, row and column and never the value;
- ``pii``: gate 1, direct identifiers in text and headers;
- ``disclosure``: gate 2, suppression, rounding and secondary suppression of counts;
- ``text``: the CSV-injection guard and the yes/no words;
- ``rounding``: halves away from zero; ``formatting``: numbers and money for people;
- ``contracts``: the key-figures files between stages and reports;
- ``xlsx``: byte-identical workbooks; ``plotting``: the chart style and saving with alt text;
- ``periods``: financial years; ``vocabulary``: the journey stages;
- ``warm``: the warm worker the workflow's jobs start from.

The names below load their module on first use (PEP 562), so that importing one light module
of this package (``warm``, from every job before anything else) does not import pandas.
"""

from importlib import import_module

#: Each public name and the module that defines it.
_HOME = {
    "DisclosureError": "disclosure",
    "DisclosureRule": "disclosure",
    "FORMULA_PREFIXES": "text",
    "InputError": "tables",
    "InputProblem": "tables",
    "KeyFigureError": "contracts",
    "KeyFigures": "contracts",
    "RawTable": "tables",
    "STAGES": "vocabulary",
    "add_financial_years": "periods",
    "check_controlled": "disclosure",
    "check_key_figures": "contracts",
    "control_counts": "disclosure",
    "control_crosstab": "disclosure",
    "count": "formatting",
    "financial_year_or_none": "periods",
    "money": "formatting",
    "normalise_financial_year": "periods",
    "number": "formatting",
    "parse_bool": "text",
    "pct": "formatting",
    "percentages": "disclosure",
    "prose_list": "formatting",
    "ratio": "formatting",
    "read_csv": "io",
    "read_key_figures": "contracts",
    "read_table": "tables",
    "read_yaml": "io",
    "round_half_away": "rounding",
    "rule_from_config": "disclosure",
    "run_script": "io",
    "safe_text": "text",
    "save_deterministic": "xlsx",
    "smart": "formatting",
    "starts_like_formula": "text",
    "suppress_small_base": "disclosure",
    "to_decimals": "rounding",
    "validate_table": "tables",
    "word": "formatting",
    "write_csv": "io",
    "write_key_figures": "contracts",
    "write_published_csv": "disclosure",
    "write_yaml": "io",
}

__all__ = sorted(_HOME)


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted([*globals(), *_HOME])

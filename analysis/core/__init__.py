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
- ``periods``: financial years; ``vocabulary``: the journey stages.
"""

from analysis.core.contracts import (
    KeyFigureError,
    KeyFigures,
    check_key_figures,
    read_key_figures,
    write_key_figures,
)
from analysis.core.disclosure import (
    DisclosureError,
    DisclosureRule,
    check_controlled,
    control_counts,
    control_crosstab,
    percentages,
    rule_from_config,
    suppress_small_base,
    write_published_csv,
)
from analysis.core.formatting import count, money, number, pct, prose_list, ratio, smart, word
from analysis.core.io import read_csv, read_yaml, run_script, write_csv, write_yaml
from analysis.core.periods import (
    add_financial_years,
    financial_year_or_none,
    normalise_financial_year,
)
from analysis.core.rounding import round_half_away, to_decimals
from analysis.core.tables import (
    InputError,
    InputProblem,
    RawTable,
    read_table,
    validate_table,
)
from analysis.core.text import FORMULA_PREFIXES, parse_bool, safe_text, starts_like_formula
from analysis.core.vocabulary import STAGES
from analysis.core.xlsx import save_deterministic

__all__ = [
    "FORMULA_PREFIXES",
    "STAGES",
    "DisclosureError",
    "DisclosureRule",
    "InputError",
    "InputProblem",
    "KeyFigureError",
    "KeyFigures",
    "RawTable",
    "add_financial_years",
    "check_controlled",
    "check_key_figures",
    "control_counts",
    "control_crosstab",
    "count",
    "financial_year_or_none",
    "money",
    "normalise_financial_year",
    "number",
    "parse_bool",
    "pct",
    "percentages",
    "prose_list",
    "ratio",
    "read_csv",
    "read_key_figures",
    "read_table",
    "read_yaml",
    "round_half_away",
    "rule_from_config",
    "run_script",
    "safe_text",
    "save_deterministic",
    "smart",
    "starts_like_formula",
    "suppress_small_base",
    "to_decimals",
    "validate_table",
    "word",
    "write_csv",
    "write_key_figures",
    "write_published_csv",
    "write_yaml",
]

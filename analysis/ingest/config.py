"""Checks of the run's configuration beyond its JSON Schema, before any job runs.

``workflow/schemas/config.schema.yaml`` checks the shape (Snakemake's ``validate``); this
module checks what the schema cannot and what a job would otherwise refuse late, after others
had published: input files that exist, unique council ids, regular expressions that compile,
a discount-schedule edition and a price base year the reference tables know, service areas
the national drivers can match, a real edition date, and text for the reports' title pages
without control characters. Each problem names the config key and what was expected.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

#: Control characters no report text may hold (tab and line feed are kept: YAML and Markdown
#: turn them into spaces).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _files(config: dict, base: Path) -> list[str]:
    problems = []
    for a in config["authorities"]:
        for kind, path in a["inputs"].items():
            if not (base / path).is_file():
                problems.append(
                    f"authorities[id={a['id']}].inputs.{kind}: no file at '{path}' "
                    "(paths are relative to the directory snakemake runs in)"
                )
    if not (base / config["programme"]["business_case"]).is_file():
        problems.append(
            f"programme.business_case: no file at '{config['programme']['business_case']}'"
        )
    for key in sorted(config.get("instruments", {})):
        if not (base / config["instruments"][key]).is_file():
            problems.append(f"instruments.{key}: no file at '{config['instruments'][key]}'")
    return problems


def _patterns(config: dict) -> list[str]:
    problems = []
    for i, p in enumerate(config.get("pii", {}).get("extra_patterns", [])):
        try:
            re.compile(p["regex"])
        except re.error as exc:
            problems.append(
                f"pii.extra_patterns[{i}] ({p['name']}): regex is not a valid Python regular "
                f"expression ({exc.msg} at position {exc.pos})"
            )
    return problems


def _reference(config: dict) -> list[str]:
    from analysis.core.periods import financial_year_or_none
    from analysis.costs import (
        match_service_area,
        read_discount_schedules,
        read_gdp_deflators,
        read_service_area_aliases,
    )

    problems = []
    vintage = config.get("appraisal", {}).get("discount_schedule_vintage")
    schedules = read_discount_schedules()
    for name in ("standard", "health"):  # the schedules a cost workbook may choose
        known = set(schedules.loc[schedules["schedule"] == name, "vintage"].astype(str))
        if vintage is not None and str(vintage) not in known:
            problems.append(
                f"appraisal.discount_schedule_vintage: the {name} discount schedule has no "
                f"edition of that name; expected one of: {', '.join(sorted(known))} "
                "(analysis/data/discount_schedules.csv)"
            )
            break
    base = financial_year_or_none(config["programme"]["price_base_year"])
    years = sorted(financial_year_or_none(y) for y in read_gdp_deflators()["financial_year"])
    if base is None:
        problems.append(
            "programme.price_base_year: expected a financial year of consecutive years, "
            "such as 2025-26"
        )
    elif base < years[0]:
        problems.append(
            f"programme.price_base_year: expected {years[0]} or later (the first year of the "
            "GDP deflator series, analysis/data/gdp_deflators.csv)"
        )
    aliases = read_service_area_aliases()
    keys = ", ".join(sorted(set(aliases["service_area"])))
    for a in config["authorities"]:
        try:
            match_service_area(a["service_area"], aliases)
        except ValueError:
            problems.append(
                f"authorities[id={a['id']}].service_area: matches no national-driver service "
                f"area, or more than one; expected a label naming one of: {keys} (add a "
                "pattern to analysis/data/service_area_aliases.csv for another service)"
            )
    return problems


def _texts(config: dict) -> list[str]:
    problems = []
    prog = config["programme"]
    try:
        dt.date.fromisoformat(str(prog["edition_date"]))
    except ValueError:
        problems.append("programme.edition_date: expected a real date, YYYY-MM-DD")
    texts = [
        (f"programme.{k}", prog.get(k))
        for k in ("title", "short_title", "lead_organisation", "notice")
    ]
    for a in config["authorities"]:
        texts += [
            (f"authorities[id={a['id']}].{k}", a.get(k))
            for k in ("name", "service_area", "context")
        ]
    for key, value in texts:
        if isinstance(value, str) and _CONTROL.search(value):
            problems.append(f"{key}: holds a control character; expected printable text")
        if isinstance(value, str) and ("{{" in value or "}}" in value):
            problems.append(
                f"{key}: holds '{{{{' or '}}}}', which Quarto reads as a shortcode; expected "
                "plain text"
            )
    return problems


def config_problems(config: dict, base: str | Path = ".") -> list[str]:
    """Every problem of a schema-valid (defaults filled) ``config``; empty when it is usable.

    ``base`` is the directory relative paths are resolved against (where snakemake runs).
    """
    base = Path(base)
    problems = []
    ids = [a["id"] for a in config["authorities"]]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"authorities: the id '{dup}' appears more than once; ids must be unique")
    problems += _files(config, base)
    problems += _patterns(config)
    problems += _reference(config)
    problems += _texts(config)
    return problems

"""Ingest of the business-case input: the programme's policy choices, checked, never invented.

The council fills in ``survey/templates/business_case.template.yaml``. Checks, each reported
with the file and the key (never the value, which could name a person):

- the JSON Schema ``workflow/schemas/business_case.schema.yaml`` (every section present and
  well formed);
- no direct identifier in any text (gate 1; owners are roles, never names);
- consistency: ids are unique; every spending objective is delivered by actions that exist in
  the roadmap action table; a risk's evidence names gaps of the gap rules, codes of the
  codebook and items of the questionnaire; every council named (affordability limits, funding
  amounts, risks and benefits for some councils) is a council of the run's config; a capital
  programme or borrowing funds capital only.

Whether the roadmap's schedule actually meets each objective in time is checked where the
schedule is made (the journeys stage); this module checks that the question can be asked.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from analysis.core.contracts import describe_schema_error
from analysis.core.pii import find_identifiers_in_text
from analysis.core.tables import InputError, InputProblem


def _where(path, case=None, known: set[str] | None = None) -> str:
    """``key 'a.b.0.c'``; a key the input chose (not a name of the schema or a council id of
    the config) is given by its position, ``entry 2``, never repeated."""
    parts, node = [], case
    for p in path:
        if known is not None and isinstance(p, str) and p not in known:
            keys = list(node) if isinstance(node, dict) else []
            parts.append(f"entry {keys.index(p) + 1}" if p in keys else "an entry")
        else:
            parts.append(str(p))
        if isinstance(node, dict | list):
            try:
                node = node[p]
            except (KeyError, IndexError, TypeError):
                node = None
    return "key '" + ".".join(parts) + "'" if parts else "the top level"


def _schema_names(schema) -> set[str]:
    """Every property name a schema defines, at any depth."""
    names: set[str] = set()
    if isinstance(schema, dict):
        names |= set(schema.get("properties", {}))
        for v in schema.values():
            names |= _schema_names(v)
    elif isinstance(schema, list):
        for v in schema:
            names |= _schema_names(v)
    return names


def _texts(node, path=()):
    """(key path, text) of every string in a YAML tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _texts(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _texts(v, (*path, i))
    elif isinstance(node, str):
        yield path, node


def consistency_problems(
    case: dict,
    action_ids: set[str],
    authority_ids: set[str] | None = None,
    *,
    gap_ids: set[str] | None = None,
    code_ids: set[str] | None = None,
    item_ids: set[str] | None = None,
) -> list[str]:
    """Problems of a schema-valid business case against itself, the roadmap actions and (when
    given) the configured councils, the gap rules' ids, the codebook's code ids and the
    questionnaire's item ids (a risk's ``evidence``)."""
    problems = []
    for i, r in enumerate(case["management"]["risks"]):
        ev = r.get("evidence") or {}
        for key, known, what in (
            ("gaps", gap_ids, "a gap of the gap rules"),
            ("codes", code_ids, "a code of the codebook"),
            ("actions", action_ids, "an action of the roadmap action table"),
            ("survey_items", item_ids, "an item of the questionnaire"),
        ):
            if known is None:
                continue
            for j, v in enumerate(ev.get(key, [])):
                if v not in known:
                    problems.append(
                        f"key 'management.risks.{i}.evidence.{key}.{j}': expected {what} "
                        f"({len(known)} known)"
                    )
    if authority_ids is not None:
        named = [
            ("decision_rule.affordability_limits", case["decision_rule"]["affordability_limits"])
        ]
        named += [
            (f"financial.funding_sources.{i}.amounts", f["amounts"])
            for i, f in enumerate(case["financial"]["funding_sources"])
        ]
        named += [
            (f"{where}.{i}.councils", item.get("councils") or [])
            for where, items in (
                ("management.risks", case["management"]["risks"]),
                ("benefits.realisation", case["benefits"]["realisation"]),
            )
            for i, item in enumerate(items)
        ]
        for key, ids in named:
            for n, a in enumerate(ids, 1):
                if a in set(authority_ids):
                    continue
                problems.append(
                    f"key '{key}.entry {n}': not a council of this run's config; expected one "
                    f"of: {', '.join(sorted(authority_ids))}"
                )
    for section, key in (
        (case["spending_objectives"], "spending_objectives"),
        (case["critical_success_factors"], "critical_success_factors"),
        (case["management"]["risks"], "management.risks"),
        (case["financial"]["funding_sources"], "financial.funding_sources"),
    ):
        first: dict = {}
        for j, item in enumerate(section):
            if item["id"] in first:
                problems.append(
                    f"key '{key}.{j}.id': repeats the id of {key}.{first[item['id']]}; "
                    "expected each id once"
                )
            first.setdefault(item["id"], j)
    for i, so in enumerate(case["spending_objectives"]):
        for j, a in enumerate(so["delivered_by"]):
            if a not in action_ids:
                problems.append(
                    f"key 'spending_objectives.{i}.delivered_by.{j}': is not an action of the "
                    "roadmap action table"
                )
    for i, f in enumerate(case["financial"]["funding_sources"]):
        if f["kind"] in ("capital_programme", "borrowing") and f["funds"] != "capital":
            problems.append(
                f"key 'financial.funding_sources.{i}.funds': a {f['kind'].replace('_', ' ')} "
                "funds capital only; expected capital"
            )
    return problems


def ingest_business_case(
    path: str | Path,
    schema: dict,
    action_ids: set[str],
    *,
    extra_patterns=(),
    authority_ids: set[str] | None = None,
    gap_ids: set[str] | None = None,
    code_ids: set[str] | None = None,
    item_ids: set[str] | None = None,
) -> dict:
    """The validated business-case input (a plain dict, as written). ``gap_ids``, ``code_ids``
    and ``item_ids``, when given, are the ids a risk's ``evidence`` may name."""
    from jsonschema import Draft202012Validator

    name = str(path)
    try:
        case = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise InputError(
            [InputProblem(name, "is not valid YAML", row=None if line is None else line + 1)]
        ) from None
    errors = sorted(
        Draft202012Validator(schema).iter_errors(case),
        key=lambda e: [str(p) for p in e.absolute_path],
    )
    known = _schema_names(schema) | set(authority_ids or ())

    def where(path):
        return _where(path, case, known)

    problems = []
    for err in errors:
        if err.validator == "required":
            missing = [k for k in err.validator_value if k not in (err.instance or {})]
            problems += [f"{where([*err.absolute_path, k])} is missing" for k in missing]
        elif err.validator == "additionalProperties":
            allowed = set(err.schema.get("properties", {}))
            problems += [
                f"{where([*err.absolute_path, k])} is not expected; expected only: "
                + ", ".join(sorted(allowed))
                for k in err.instance
                if k not in allowed
            ]
        else:
            problems.append(f"{where(err.absolute_path)} {describe_schema_error(err)}")
    if not problems:
        for key_path, text in _texts(case):
            for kind in find_identifiers_in_text(text, list(extra_patterns)):
                article = "an" if kind[:1].lower() in "aeiou" else "a"
                problems.append(
                    f"{where(key_path)} holds what looks like {article} {kind}; "
                    "name roles, not people"
                )
        problems += consistency_problems(
            case, action_ids, authority_ids, gap_ids=gap_ids, code_ids=code_ids, item_ids=item_ids
        )
    if problems:
        raise InputError([InputProblem(name, p) for p in dict.fromkeys(problems)])
    return case

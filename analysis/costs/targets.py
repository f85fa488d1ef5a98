"""Targets of uncertain inputs: which cost lines or benefit input an Uncertainty row varies.

A row of a council's ``uncertainty.csv`` names what it varies by a *target*:

* ``benefits:<option>:<outcome>:<field>`` - one input of one outcome line (a success rate, a
  deadweight, a cohort, ...); ``low`` and ``high`` are values of that field. Several lines
  that share the input (one outcome whose savings fall to two agencies, say) are joined with
  ``+``: ``benefits:preferred:O1+O1b:success_rate`` draws one value for both;
* ``costs:<option>:<line>:amount`` - one cost line; ``low`` and ``high`` multiply its amounts
  (a ``*multiplier`` parameter) or replace a flat amount;
* ``costs:<option>:type=<capital|staff|revenue>:amount`` - **every** cost line of that type in
  the option (a group target): a capital-cost multiplier scales all the option's capital, not
  one line of it. A group target takes a multiplier only;
* ``parameters:optimism_bias_mitigation``.

:func:`parse_target` reads a target, :func:`cost_group` says whether it is a group and of
which type, :func:`target_lines` lists the cost lines it scales and :func:`describe_target`
says in words what it varies (the switching-value and Monte Carlo tables print it).
"""

from __future__ import annotations

import pandas as pd

from analysis.costs.benefits import BENEFIT_FIELDS

#: Cost types a group target can name (the data contract's ``cost_type``).
COST_TYPES = ("capital", "staff", "revenue")
GROUP_PREFIX = "type="
#: How a group target's cost type reads in a sentence.
COST_TYPE_WORDS = {
    "capital": "capital",
    "staff": "staff",
    "revenue": "non-staff revenue (hosting, licences, support, training)",
}
#: A benefit field in words.
FIELD_WORDS = {
    "cohort": "cohort",
    "engagement_rate": "engagement rate",
    "success_rate": "success rate",
    "deadweight": "deadweight",
    "lag_years": "lag",
    "duration_years": "duration",
    "drop_off": "drop-off",
    "fiscal_value": "fiscal value",
    "economic_value": "economic value",
    "social_value": "social value",
    "cashable_share": "cashable share",
}


def parse_target(target: str) -> tuple[str, str | None, str | None, str]:
    """``'benefits:preferred:O1:success_rate'`` -> ``('benefits', 'preferred', 'O1',
    'success_rate')``; ``'costs:preferred:type=capital:amount'`` -> ``('costs', 'preferred',
    'type=capital', 'amount')``; ``'parameters:optimism_bias_mitigation'`` ->
    ``('parameters', None, None, 'optimism_bias_mitigation')``."""
    parts = str(target).split(":")
    if len(parts) == 2 and parts[0] == "parameters":
        if parts[1] != "optimism_bias_mitigation":
            raise ValueError("uncertainty.csv: only parameters:optimism_bias_mitigation is varied")
        return "parameters", None, None, parts[1]
    if len(parts) != 4 or parts[0] not in ("benefits", "costs"):
        raise ValueError(
            "uncertainty.csv: target must look like benefits:<option>:<outcome>:<field>, "
            "costs:<option>:<line>:amount or costs:<option>:type=<cost type>:amount"
        )
    table, opt, item, fld = parts
    if table == "costs" and fld != "amount":
        raise ValueError("uncertainty.csv: a costs target must end in :amount")
    if table == "benefits" and fld not in BENEFIT_FIELDS:
        raise ValueError(f"uncertainty.csv: benefits field must be one of {BENEFIT_FIELDS}")
    if table == "costs" and item.startswith(GROUP_PREFIX) and cost_group(item) is None:
        raise ValueError(f"uncertainty.csv: a cost group must be type= one of {COST_TYPES}")
    return table, opt, item, fld


def outcome_ids(item: str | None) -> list[str]:
    """The outcome lines a benefits target names: ``'O1+O1b'`` -> ``['O1', 'O1b']``."""
    return [x for x in str(item).split("+") if x]


def cost_group(item: str | None) -> str | None:
    """The cost type of a group item (``'type=capital'`` -> ``'capital'``); None for a line id
    or an unknown type."""
    if item is None or not str(item).startswith(GROUP_PREFIX):
        return None
    kind = str(item)[len(GROUP_PREFIX) :]
    return kind if kind in COST_TYPES else None


def is_group_target(target: str) -> bool:
    """True for a ``costs:<option>:type=<cost type>:amount`` target."""
    table, _opt, item, _f = parse_target(target)
    return table == "costs" and cost_group(item) is not None


def target_lines(target: str, costs: pd.DataFrame) -> list[str]:
    """The line ids (input order, each once) of ``costs`` (the ingested ``costs.csv``, one row
    per line and year) that a costs target scales: its one line, or every line of its type in
    its option. Empty for a benefits or parameters target."""
    table, opt, item, _f = parse_target(target)
    if table != "costs":
        return []
    mine = costs[costs["option_id"].astype(str) == str(opt)]
    kind = cost_group(item)
    if kind is None:
        hit = mine[mine["line_id"].astype(str) == str(item)]
    else:
        hit = mine[mine["cost_type"].astype(str) == kind]
    return list(dict.fromkeys(hit["line_id"].astype(str)))


def describe_target(target: str, costs: pd.DataFrame, benefits: pd.DataFrame) -> str:
    """What a target varies, in words a board reads (no line or outcome ids): "all 3 capital
    cost lines of the option", "the cost line “Partnership data analyst (one post)”", "the
    success rate of “Repeat high-risk victims identified earlier”", "the share of the
    optimism-bias risk judged mitigated"; a group of one line is "the option's one capital cost
    line"."""
    table, opt, item, fld = parse_target(target)
    if table == "parameters":
        return "the share of the optimism-bias risk judged mitigated (every capital line)"
    if table == "costs":
        lines = target_lines(target, costs)
        kind = cost_group(item)
        if kind is not None:
            n, what = len(lines), COST_TYPE_WORDS[kind]
            if n == 1:
                return f"the option's one {what} cost line"
            return f"all {n} {what} cost lines of the option"
        mine = costs[(costs["option_id"].astype(str) == str(opt))
                     & (costs["line_id"].astype(str) == str(item))]  # fmt: skip
        desc = str(mine["description"].iloc[0]) if len(mine) else "a cost line"
        return f"the cost line “{desc}”"
    mine = benefits[benefits["option_id"].astype(str) == str(opt)]
    names = []
    for o in outcome_ids(item):
        hit = mine.loc[mine["outcome_id"].astype(str) == o, "outcome"]
        names.append(f"“{hit.iloc[0]}”" if len(hit) else "an outcome")
    what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"the {FIELD_WORDS.get(fld, fld)} of {what}"

"""Generated roadmap tables: the consolidated programme roadmap and each council's roadmap."""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.markdown import markdown_table


def programme_roadmap(p) -> str:
    df = p.table("programme", "journeys", "roadmap").copy()
    df["needed_by"] = df["n_authorities"].map(lambda n: fmt.number(n))
    for c in ("owner_role", "depends_on"):
        df[c] = df[c].map(_words)
    return markdown_table(
        df,
        [
            ("lifecycle_stage", "Stage", "l"),
            ("action_id", "Id", "l"),
            ("title", "Action", "l"),
            ("needed_by", "Councils", "r"),
            ("phase", "Phase", "l"),
            ("owner_role", "Owner", "l"),
            ("depends_on", "Depends on", "l"),
        ],
        caption="Consolidated programme roadmap (proven practice first within each stage)",
        label="programme-roadmap",
    )


def _words(v) -> str:
    """An id such as ``information_governance_lead`` as words."""
    return fmt.DASH if pd.isna(v) else str(v).replace("_", " ").replace(";", ", ")


def roadmap_table(p, aid, caption, label) -> str:
    df = p.table(aid, "journeys", "roadmap").copy()
    for c in ("owner_role", "depends_on"):
        df[c] = df[c].map(_words)
    cols = [
        ("phase", "Phase", "l"),
        ("action_id", "Id", "l"),
        ("title", "Action", "l"),
        ("owner_role", "Owner", "l"),
        ("effort", "Effort", "l"),
        ("impact", "Impact", "r"),
        ("depends_on", "Depends on", "l"),
    ]
    df = df.sort_values(["start_month", "action_id"], kind="stable")
    return markdown_table(df, cols, caption=caption, label=label)

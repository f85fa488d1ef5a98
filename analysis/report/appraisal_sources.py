"""The business case's appraisal conventions by council (price base, discount schedule and
edition, GDP deflator release, the 2026 lower-rate test) and the sources of every monetised
benefit value: generated tables of the economic case."""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.report.markdown import markdown_table
from analysis.report.wording import short, vintage_words


def appraisal_conventions(p, ids, names) -> str:
    """For each council the price base, the discount schedule and its Green Book edition, the
    GDP deflator release and whether the 2026 lower-rate test applies (and its NPSV for the
    preferred way forward when it does); then what the edition says of the costs of raising
    public funds and which reference values are assumptions."""
    rows = []
    for a in ids:
        k = p.kf[(a, "costs")]
        pref = k["preferred_option_id"]
        test = fmt.DASH
        if k["lower_rate_test_applies"] and pref in k["options"]:
            test = "NPSV " + fmt.money(k["options"][pref]["npsv_lower_rate_test"])
        elif not k["lower_rate_test_applies"]:
            test = f"Not required ({k['appraisal_years']}-year horizon)"
        rows.append(
            {
                "council": short(names[a]),
                "base": k["price_base_year"],
                "schedule": f"{k['discount_schedule'].capitalize()}, "
                f"{vintage_words(k['discount_schedule_vintage'])}",
                "deflators": _release_words(k["deflator_vintage"]),
                "test": test,
            }
        )
    table = markdown_table(
        pd.DataFrame(rows),
        [
            ("council", "Council", "l"),
            ("base", "Price base", "l"),
            ("schedule", "Discount schedule (Green Book)", "l"),
            ("deflators", "GDP deflators (HM Treasury)", "l"),
            ("test", "Lower discount rate test", "l"),
        ],
        caption="Appraisal conventions by council: real prices of the price base year, "
        "discounted with the Green Book schedule",
        label="conventions",
    )
    k0 = p.kf[(ids[0], "costs")]
    checked = all(p.kf[(a, "costs")]["deflators_checked"] for a in ids)
    notes = [
        "The 2026 edition asks for an extra sensitivity test at a lower discount rate only for "
        "proposals whose horizon is beyond 50 years; it is reported above where it applies.",
        "Following the 2026 edition, the costs of raising public funds (the marginal excess "
        "tax burden) are not included.",
        "Nominal flows are deflated, and values quoted in older prices uprated, with the GDP "
        f"deflator series of the {_release_words(k0['deflator_vintage'])} release"
        + (
            "."
            if checked
            else ": its values were taken from copies of that release and have not yet been "
            "checked against HM Treasury's own file, which a finance officer can load with "
            "`make update-deflators`."
        ),
        "The confidence-grade adjustments to costs and benefits (a larger uplift or reduction "
        "the weaker the evidence) are the project's own convention in the manner of the HM Treasury and New "
        "Economy guidance for local partnerships (2014), not that guidance's published table: "
        "an assumption.",
    ]
    return table + "\n" + " ".join(notes) + "\n"


def _release_words(vintage: str) -> str:
    """``hmt_2026_03`` -> "March 2026"."""
    months = ("January February March April May June July August September October November "
              "December").split()  # fmt: skip
    out = []
    for v in str(vintage).split(";"):
        parts = v.split("_")
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            out.append(f"{months[int(parts[2]) - 1]} {parts[1]}")
        else:
            out.append(v)
    return " and ".join(out)


def benefit_sources(p, ids, names) -> str:
    """Every monetised benefit value of each council's short list: the unit value it comes
    from (a published value with its source and price year, or the council's own), the value
    per successful outcome and that value in the price base. Options sharing a value are one
    row."""
    frames = []
    for a in ids:
        df = p.table(a, "costs", "benefit_sources").copy()
        df["council"] = short(names[a])
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["unit_value_id"] = df["unit_value_id"].fillna("")
    key = ["council", "outcome", "value_kind", "unit_value_id", "value", "price_year"]
    df = (
        df.groupby(key, sort=False, dropna=False)
        .agg(value_price_base=("value_price_base", "first"), source=("source", "first"),
             unit_value=("unit_value", "first"), units=("units", "first"),
             unit_price_year=("unit_price_year", "first"), verified=("verified", "first"))
        .reset_index()
    )  # fmt: skip

    def origin(r):
        if not r["unit_value_id"]:
            return f"Council's own value: {r['source']}"
        n = "" if float(r["units"]) == 1 else f"{fmt.number(r['units'], 2)} × "
        v = float(r["unit_value"])
        unit = "£" + fmt.number(v, 0 if v.is_integer() else 2)
        checked = "" if r["verified"] == "yes" else " (value not checked against the publication)"
        return f"{n}{unit} ({r['unit_price_year']} prices): {r['source']}{checked}"

    df["origin"] = df.apply(origin, axis=1)
    df["kind"] = df["value_kind"].str.capitalize()
    df["at"] = [f"{fmt.money(v)} ({py})" for v, py in zip(df["value"], df["price_year"],
                                                          strict=True)]  # fmt: skip
    return markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("outcome", "Outcome", "l"),
            ("kind", "Value", "l"),
            ("at", "£ per outcome (price year)", "r"),
            ("value_price_base", "In the price base (£)", "r"),
            ("origin", "Where the value comes from", "l"),
        ],
        caption="Sources of the monetised benefits: the unit value behind each value per "
        "successful outcome, with its price year",
        label="benefit-sources",
        formatters={"value_price_base": fmt.money},
    )

"""The business case's appraisal conventions by council (price base, discount schedule and
edition, GDP deflator release, the 2026 lower-rate test) and the sources of every monetised
benefit value: generated tables of the economic case."""

from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.core.periods import financial_year_end
from analysis.report.markdown import markdown_table
from analysis.report.summaries import WORKBOOK
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
    edition = p.programme.get("edition_date")
    notes = [year_zero_sentence({short(names[a]): p.kf[(a, "costs")]["price_base_year"]
                                 for a in ids}, edition)] if edition else []  # fmt: skip
    notes += [
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
            "checked against HM Treasury's own file, which the toolkit's deflator updater loads "
            "when a finance officer runs it."
        ),
        "The confidence-grade adjustments to costs and benefits (a larger uplift or reduction "
        "the weaker the evidence) are the project's own convention in the manner of the HM Treasury and New "
        "Economy guidance for local partnerships (2014), not that guidance's published table: "
        "an assumption.",
    ]
    return table + "\n" + " ".join(notes) + "\n"


def year_zero_closed(price_base_year: str, edition_date) -> bool:
    """Whether year 0 of the appraisal (the price base year, a financial year) had ended by
    the edition date: then money budgeted in year 0 was budgeted in a closed year."""
    import datetime as dt

    day = edition_date if isinstance(edition_date, dt.date) else dt.date.fromisoformat(
        str(edition_date))  # fmt: skip
    return day > financial_year_end(price_base_year)


def _day(d) -> str:
    months = ("January February March April May June July August September October November "
              "December").split()  # fmt: skip
    return f"{d.day} {months[d.month - 1]} {d.year}"


def year_zero_sentence(bases: dict[str, str], edition_date) -> str:
    """What the conventions say of year 0 against the edition date (``bases``: council name ->
    price base year): that it is the current financial year, or, for each council whose year
    0 had closed (:func:`year_zero_closed`), that its year-0 money was budgeted in a closed
    year and the appraisal should be re-based."""
    import datetime as dt

    day = dt.date.fromisoformat(str(edition_date))
    closed = {c: y for c, y in bases.items() if year_zero_closed(y, day)}
    if not closed:
        years = sorted(set(bases.values()))
        return (
            f"Year 0 ({fmt.prose_list(years, 'and')}) is the financial year of this edition "
            f"({_day(day)}): it ends on {_day(financial_year_end(max(years)))}, so nothing is "
            "budgeted in a year that has closed."
        )
    parts = [f"{c} (year 0 {y} ended on {_day(financial_year_end(y))})"
             for c, y in closed.items()]  # fmt: skip
    return (
        f"Year 0 had already closed by the date of this edition ({_day(day)}) in "
        + fmt.prose_list(parts, "and")
        + ": the money shown in year 0 was budgeted in a closed financial year. Spending "
        "that has happened is sunk and should be left out, and the appraisal re-based on the "
        "current year, before the case is approved."
    )


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


def _value_rows(p, ids, names) -> pd.DataFrame:
    """The benefit values of the councils ``ids``' short lists, one row per council, outcome,
    value and receiver (options sharing a value are one row)."""
    frames = []
    for a in ids:
        df = p.table(a, "costs", "benefit_sources").copy()
        df["authority"], df["council"] = a, short(names[a])
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["unit_value_id"] = df["unit_value_id"].fillna("")
    if "agency" not in df:
        df["agency"] = ""
    key = [
        "authority",
        "council",
        "outcome",
        "value_kind",
        "agency",
        "unit_value_id",
        "value",
        "price_year",
    ]
    df = (
        df.groupby(key, sort=False, dropna=False)
        .agg(value_price_base=("value_price_base", "first"), source=("source", "first"),
             unit_value=("unit_value", "first"), units=("units", "first"),
             unit_price_year=("unit_price_year", "first"), verified=("verified", "first"))
        .reset_index()
    )  # fmt: skip
    return df


def benefit_sources(p, ids, names, rest=()) -> str:
    """Every monetised benefit value of each council's short list: the unit value it comes
    from (a published value with its source and price year, or the council's own), the value
    per successful outcome and that value in the price base. Options sharing a value are one
    row. With councils ``rest`` left out (a summarised programme), the published values over
    every council instead (:func:`published_values`)."""
    if len(rest):
        return published_values(p, [*ids, *rest], names)
    df = _value_rows(p, ids, names)

    def origin(r):
        if not r["unit_value_id"]:
            return f"Council's own value: {r['source']}"
        n = "" if float(r["units"]) == 1 else f"{fmt.number(r['units'], 2)} × "
        v = float(r["unit_value"])
        unit = "£" + fmt.number(v, 0 if v.is_integer() else 2)
        checked = "" if r["verified"] == "yes" else " (value not checked against the publication)"
        return f"{n}{unit} ({r['unit_price_year']} prices): {r['source']}{checked}"

    df["origin"] = df.apply(origin, axis=1)
    df["kind"] = [f"{k.capitalize()} ({receiver_words(k, ag)})"
                  for k, ag in zip(df["value_kind"], df["agency"], strict=True)]  # fmt: skip
    df["at"] = [value_at_source(r) for _, r in df.iterrows()]
    return markdown_table(
        df,
        [
            ("council", "Council", "l"),
            ("outcome", "Outcome", "l"),
            ("kind", "Value (who receives it)", "l"),
            ("at", "£ per outcome (price year)", "r"),
            ("value_price_base", "In the price base (£)", "r"),
            ("origin", "Where the value comes from", "l"),
        ],
        caption="Sources of the monetised benefits: the unit value behind each value per "
        "successful outcome, in the price year of its source, and that value in the price base",
        label="benefit-sources",
        formatters={"value_price_base": fmt.money},
    )


def published_values(p, ids, names) -> str:
    """For a programme too large to list every council's benefit values (a summarised one):
    each published unit value the councils ``ids`` use, with how many councils and values use
    it, and how many values are the councils' own. Every value is in the programme workbook."""
    df = _value_rows(p, ids, names)
    own = df[df["unit_value_id"] == ""]
    pub = df[df["unit_value_id"] != ""]
    lead = (
        f"The {fmt.number(len(ids))} councils' short lists value their benefits with "
        f"{fmt.number(len(df))} values per successful outcome (options sharing a value counted "
        f"once): {fmt.number(len(own))} are the councils' own values, each with its reason, and "
        f"{fmt.number(len(pub))} come from the published unit values below, uprated from their "
        "price year with the GDP deflator. Every value, with its source, is in the programme "
        f"workbook, [{WORKBOOK}]({WORKBOOK}) (sheet Benefit sources).\n\n"
    )
    if pub.empty:
        return lead
    g = pub.groupby("unit_value_id", sort=True)
    t = g.agg(source=("source", "first"), unit_value=("unit_value", "first"),
              unit_price_year=("unit_price_year", "first"), verified=("verified", "first"),
              councils=("authority", "nunique"), values=("authority", "size")).reset_index()  # fmt: skip
    t["unit"] = [
        f"£{fmt.number(v, 0 if float(v).is_integer() else 2)} ({y} prices)"
        + ("" if c == "yes" else " (not checked against the publication)")
        for v, y, c in zip(t["unit_value"], t["unit_price_year"], t["verified"], strict=True)
    ]
    return lead + markdown_table(
        t,
        [
            ("source", "Published unit value", "l"),
            ("unit", "Unit value", "r"),
            ("councils", "Councils using it", "r"),
            ("values", "Values from it", "r"),
        ],
        caption=f"The published unit values behind the monetised benefits of the "
        f"{fmt.number(len(ids))} councils, and how many councils and values use each",
        label="benefit-sources",
        formatters={"councils": fmt.number, "values": fmt.number},
    )


#: Who receives a value, by the agency of the data contract (fiscal) or the kind of value.
RECEIVER_WORDS = {
    "police": "police",
    "nhs": "NHS",
    "housing": "housing",
    "dwp": "DWP",
    "voluntary_sector": "voluntary sector",
    "other": "other public bodies",
    "economy": "the economy",
    "society": "society: wellbeing",
}


def receiver_words(kind: str, agency) -> str:
    """Who receives a benefit value, in words: a council service ("the council"), a partner
    ("police", "NHS"), the economy or society."""
    ag = "" if agency is None or (isinstance(agency, float) and pd.isna(agency)) else str(agency)
    if ag.startswith("council_"):
        return "the council"
    if not ag:
        return {"economic": "the economy", "social": "society"}.get(str(kind), "not stated")
    return RECEIVER_WORDS.get(ag, ag.replace("_", " "))


def value_at_source(r) -> str:
    """A value per successful outcome in the price year of its source: a published unit
    value as units x unit value in the unit's own price year (a WELLBY of 2019-20), a
    council's own value in its line's price year."""
    if r["unit_value_id"]:
        v = float(r["units"]) * float(r["unit_value"])
        return f"{fmt.money(v)} ({r['unit_price_year']})"
    return f"{fmt.money(r['value'])} ({r['price_year']})"

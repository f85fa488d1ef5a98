"""The national scale of the opportunity, as Markdown: the range, every driver with its value
and source, and the take-up assumption worded as what it is.

The numbers are the costs stage's (``national_range``, ``national_basis``, ``national_scale``,
``national_assumptions``; method in :mod:`analysis.costs.national`). The estimate rests on a
take-up assumption no publication measures, so it is called **illustrative** wherever it is
quoted (:data:`ILLUSTRATIVE`), here, in the business case's summary and in the final report.
"""

from __future__ import annotations

from analysis.core import formatting as fmt
from analysis.costs import SERVICE_LABELS
from analysis.costs.national import BOOTSTRAP, nation_words
from analysis.report.markdown import figure, markdown_table, md_escape
from analysis.report.wording import short

#: The word every quotation of the national estimate carries.
ILLUSTRATIVE = "illustrative"
DRIVER_WORDS = {"population": "number of residents", "service_volume": "service volume"}


def _est(v) -> str:
    return fmt.money(v, sig=2)  # an estimate: two significant figures, as published


def national_sentence(p) -> str:
    """The national estimate in one sentence, labelled illustrative, for summaries."""
    ck = p.kf[("programme", "costs")]
    return (
        "Scaled to the councils that deliver each service, the national opportunity is "
        f"{_est(ck['national_low'])} to {_est(ck['national_high'])} in net present social "
        f"value (median {_est(ck['national_central'])}). The estimate is {ILLUSTRATIVE}: the "
        "share of councils that would adopt the approach (between "
        f"{fmt.pct(100 * ck['national_take_up_low'])} and "
        f"{fmt.pct(100 * ck['national_take_up_high'])}) is a programme assumption that no "
        "publication measures."
    )


def basis_table(p) -> str:
    """Each service's drivers: the councils' local driver, the national one with its source,
    the councils that deliver the service and the scale factor they give."""
    b = p.table("programme", "costs", "national_basis").copy()
    b["service"] = b["service_area"].map(SERVICE_LABELS)
    b["councils_names"] = [
        fmt.names_or_count(short(p.authority(a)["name"]) for a in str(c).split(";"))
        for c in b["councils"]
    ]
    b["local"] = [
        f"{fmt.number(v)} {u} ({md_escape(src)})"
        for v, u, src in zip(b["local_driver"], b["local_unit"], b["local_source"], strict=True)
    ]
    b["national"] = [
        f"{fmt.number(r.published_value)} {r.national_unit}, {nation_words(r.published_geography)}"
        f", {r.national_year} ({md_escape(r.national_source)})"
        + (
            f"; × {r.carried_factor:.4f} (population of {nation_words(r.nations)} over "
            f"{nation_words(r.published_geography)}) = {fmt.number(r.national_driver)}"
            if abs(float(r.carried_factor) - 1.0) > 1e-9
            else ""
        )
        for r in b.itertuples(index=False)
    ]
    b["where"] = [
        f"{fmt.number(n)} councils in {nation_words(na)}"
        for n, na in zip(b["councils_delivering"], b["nations"], strict=True)
    ]
    return markdown_table(
        b,
        [
            ("service", "Service area", "l"),
            ("councils_names", "Case study", "l"),
            ("local", "Local driver (value, unit, source)", "l"),
            ("national", "National driver (value, unit, year, source)", "l"),
            ("where", "Councils delivering the service", "l"),
            ("scale_factor", "Scale factor", "r"),
        ],
        caption="The drivers of the national scale: each case study's NPSV is multiplied by the "
        "scale factor (national driver ÷ local driver) and by the share of councils adopting",
        label="national-basis",
        formatters={"scale_factor": lambda v: f"{float(v):,.4g}"},
    )


def assumptions_table(p) -> str:
    ass = p.table("programme", "costs", "national_assumptions")
    ass = ass.drop_duplicates(["assumption", "role"]).copy()
    ass["what"] = ass["role"].map({"minimum": "Low", "mode": "Most likely", "maximum": "High"})
    ass["source"] = "Programme assumption (no published source)"
    return markdown_table(
        ass,
        [
            ("what", "Take-up", "l"),
            ("value", "Share of councils adopting", "r"),
            ("source", "Source", "l"),
            ("rationale", "Rationale", "l"),
        ],
        caption="The take-up assumption of the national scale (a triangular distribution, drawn "
        "for each service): a programme assumption, which is why the estimate is illustrative",
        label="national-assumptions",
        formatters={"value": lambda v: fmt.pct(100 * float(v))},
    )


def national(p) -> str:
    """The national section: range table and figure, the drivers, the take-up assumption and
    which councils were left out."""
    ck = p.kf[("programme", "costs")]
    df = p.table("programme", "costs", "national_range").copy()
    df["service"] = df["service_area"].astype(str).map(SERVICE_LABELS)
    table = markdown_table(
        df,
        [
            ("service", "Service area", "l"),
            ("low", "5th percentile", "r"),
            ("central", "Median", "r"),
            ("high", "95th percentile", "r"),
        ],
        caption=f"Illustrative national scale of the opportunity: net present social value if "
        "councils delivering each service adopted its case study's preferred way forward "
        f"({fmt.number(ck['national_draws'])} seeded Monte Carlo draws; £, present value, two "
        "significant figures)",
        label="national",
        formatters={c: _est for c in ("low", "central", "high")},
    )
    note = (
        "The total is simulated jointly, draw by draw, so its percentiles are not the sums of "
        "the services' percentiles: the service rows do not add up to the total row.\n"
    )
    scale = p.table("programme", "costs", "national_scale")
    left = scale[scale["included"] == "no"]
    if len(left):
        note += (
            "Left out: "
            + fmt.prose_list(
                f"{short(p.authority(a)['name'])} ({str(w).replace('_', ' ')})"
                for a, w in zip(left["authority"], left["exclusion_reason"], strict=True)
            )
            + ".\n"
        )
    return "\n".join(
        [
            national_sentence(p) + "\n",
            table,
            note + method_note(p.kf[("programme", "costs")]),
            figure(
                p,
                "programme_national",
                "Illustrative national scale of the opportunity",
                "national",
            ),  # fmt: skip
            basis_table(p),
            assumptions_table(p),
        ]
    )


def method_note(ck) -> str:
    """How each service's range was made, from the programme's costs key figures ``ck``: from
    the councils' own appraisals, resampled, where the service has ``national_min_councils``
    councils or more; else by extrapolating its case studies (as decided in
    :func:`analysis.costs.national.national_monte_carlo`)."""
    by = ck["national_by_service_area"]
    k = ck["national_min_councils"]

    def services(rows):
        return fmt.prose_list(
            f"{SERVICE_LABELS[s].lower()} ({fmt.number(r['councils'])} "
            f"council{'s' if r['councils'] != 1 else ''})"
            for s, r in sorted(rows.items())
        )

    own = {s: r for s, r in by.items() if r["method"] == BOOTSTRAP}
    rest = {s: r for s, r in by.items() if r["method"] != BOOTSTRAP}
    out = []
    if own:
        out.append(
            f"For {services(own)} the range comes from those councils' own appraisals: each "
            "draw takes the ratio over the service's councils resampled with replacement, so it "
            "carries the uncertainty of which councils were studied as well as each council's "
            "own."
        )
    if rest:
        why = f", with fewer than {fmt.word(k)} councils in the programme," if k else ""
        out.append(
            f"For {services(rest)}{why} the range extrapolates the case studies' results, taken "
            "as known for the councils that did not take part."
        )
    return " ".join(out) + "\n"


def national_intro(p) -> str:
    """The lead-in sentence of the section: which drivers the rows actually use."""
    basis = p.table("programme", "costs", "national_basis")
    by = {d: [SERVICE_LABELS[s].lower() for s in g["service_area"]]
          for d, g in basis.groupby("driver", sort=True)}  # fmt: skip
    parts = [f"by {DRIVER_WORDS[d]} ({fmt.prose_list(v)})" for d, v in by.items()]
    return (
        "Each case study's result is scaled to the councils that deliver its service, in the "
        f"nations where councils deliver it: {fmt.prose_list(parts, 'and')}. The result is a "
        f"range, not a point, and {ILLUSTRATIVE}.\n"
    )

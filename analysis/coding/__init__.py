"""Workshop and interview coding: consensus, frequencies, co-occurrence, agreement, quotes, SWOT.

The public API of the coding stage (import from here or from the concept module):

* :mod:`~analysis.coding.sheet` - the coding sheet and codebook as tables: column contracts,
  ``normalise_coding``, ``codebook_table``, code and role labels, SWOT order.
* :mod:`~analysis.coding.consensus` - the consensus coding of each excerpt (adjudication,
  unanimity, single coder).
* :mod:`~analysis.coding.frequencies` - code / theme / research-question frequencies, the code
  x role table, disclosure control of count columns.
* :mod:`~analysis.coding.cooccurrence` - code co-occurrence (tidy, square, controlled).
* :mod:`~analysis.coding.agreement` - Krippendorff's alpha (nominal), Cohen's kappa, percent
  agreement, their bands and thresholds, inter-coder agreement per code.
* :mod:`~analysis.coding.scope` - the disclosure scope rule: counts of text published as they
  are, counts narrowed to a role or session controlled, counts resting on sessions of 1-7
  participants suppressed; the code x role table.
* :mod:`~analysis.coding.reliability` - each code's reliability (reliable / tentative / not
  reliable / undefined / too few to judge), carried by every published table naming a code.
* :mod:`~analysis.coding.quotes` - which excerpts may be quoted, the quote bank.
* :mod:`~analysis.coding.evidence` - leading codes per research question, SWOT evidence and
  SWOT quotes.
* :mod:`~analysis.coding.key_figures` - the key figures the reports quote.
* :mod:`~analysis.coding.publish` - every raw and controlled table of one scope (``analyse``).
* :mod:`~analysis.coding.job` - one workflow job: read, analyse, write, draw (``run_coding``).
* :mod:`~analysis.coding.figures` - frequency bars, co-occurrence heatmap, agreement dot plot.

Counts from functions without ``controlled`` in their name (or without a ``rule``) are raw,
for internal tables only; every published count follows :mod:`analysis.coding.scope` (text
as it is, groups of participants through :mod:`analysis.core.disclosure`).
``figures`` and ``job`` are not imported here (they load matplotlib when drawing); import them
as modules.
"""

from analysis.coding.agreement import (
    ALPHA_RELIABLE,
    ALPHA_TENTATIVE,
    STAT_DECIMALS,
    alpha_band,
    cohen_kappa,
    coincidence_matrix,
    intercoder_agreement,
    krippendorff_alpha_nominal,
    landis_koch_band,
    percent_agreement,
    presence_matrix,
    round_statistic,
)
from analysis.coding.consensus import CONSENSUS_COLUMNS, consensus_coding
from analysis.coding.cooccurrence import (
    code_cooccurrence,
    controlled_cooccurrence,
    cooccurrence_matrix,
)
from analysis.coding.evidence import (
    LEADING_COLUMNS,
    SWOT_EVIDENCE_COLUMNS,
    SWOT_QUOTE_COLUMNS,
    controlled_swot_evidence,
    leading_codes,
    swot_evidence,
    swot_quotes,
)
from analysis.coding.frequencies import (
    UNITS,
    code_by_role,
    code_frequencies,
    control_count_columns,
    role_crosstab,
)
from analysis.coding.key_figures import (
    agreement_figures,
    coding_key_figures,
    controlled_int,
    flagged_codes_by,
    text_count,
    threshold_comparison,
)
from analysis.coding.publish import PROGRAMME, CodingResult, analyse, pool
from analysis.coding.quotes import (
    QUOTE_BANK_COLUMNS,
    QUOTE_PUBLIC_COLUMNS,
    quote_bank,
    screen_quotes,
)
from analysis.coding.reliability import (
    MIN_APPLIED,
    RELIABILITY_LEVELS,
    TOO_FEW,
    USABLE,
    code_reliability,
    reliability_of,
    reliability_reading,
    weaker,
    with_reliability,
)
from analysis.coding.scope import (
    ATTENDANCE,
    GROUP,
    GROUP_DIMENSIONS,
    TEXT,
    control_role_table,
    count_kind,
    narrowed,
    pair_participants,
    participants_behind,
    publish_counts,
    session_attendance,
    suppress_narrowed,
    text_counts,
)
from analysis.coding.sheet import (
    CODEBOOK_COLUMNS,
    CODING_COLUMNS,
    EXCERPT_COLUMNS,
    EXCERPT_KEY,
    SWOT_ORDER,
    bool_column,
    code_labels,
    codebook_table,
    normalise_coding,
    role_labels,
)

__all__ = [
    "ATTENDANCE",
    "MIN_APPLIED",
    "TOO_FEW",
    "USABLE",
    "narrowed",
    "pair_participants",
    "participants_behind",
    "reliability_reading",
    "session_attendance",
    "suppress_narrowed",
    "ALPHA_RELIABLE",
    "ALPHA_TENTATIVE",
    "CODEBOOK_COLUMNS",
    "CODING_COLUMNS",
    "CONSENSUS_COLUMNS",
    "EXCERPT_COLUMNS",
    "EXCERPT_KEY",
    "GROUP",
    "GROUP_DIMENSIONS",
    "LEADING_COLUMNS",
    "PROGRAMME",
    "QUOTE_BANK_COLUMNS",
    "QUOTE_PUBLIC_COLUMNS",
    "RELIABILITY_LEVELS",
    "STAT_DECIMALS",
    "SWOT_EVIDENCE_COLUMNS",
    "SWOT_ORDER",
    "SWOT_QUOTE_COLUMNS",
    "TEXT",
    "UNITS",
    "CodingResult",
    "agreement_figures",
    "alpha_band",
    "analyse",
    "bool_column",
    "code_by_role",
    "code_cooccurrence",
    "code_frequencies",
    "code_labels",
    "code_reliability",
    "codebook_table",
    "coding_key_figures",
    "cohen_kappa",
    "coincidence_matrix",
    "consensus_coding",
    "control_count_columns",
    "control_role_table",
    "controlled_cooccurrence",
    "controlled_int",
    "controlled_swot_evidence",
    "cooccurrence_matrix",
    "count_kind",
    "flagged_codes_by",
    "intercoder_agreement",
    "krippendorff_alpha_nominal",
    "landis_koch_band",
    "leading_codes",
    "normalise_coding",
    "percent_agreement",
    "pool",
    "presence_matrix",
    "publish_counts",
    "quote_bank",
    "reliability_of",
    "role_crosstab",
    "role_labels",
    "round_statistic",
    "screen_quotes",
    "swot_evidence",
    "swot_quotes",
    "text_count",
    "text_counts",
    "threshold_comparison",
    "weaker",
    "with_reliability",
]

"""Gate 1 again at publication (issue 14): quotes pass a stricter screen, and the journeys
stage's published tables (where the register's free text appears verbatim) are checked."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis.coding as cd
from analysis.core import pii


def _excerpts(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "authority": "x",
            "session_id": "S1",
            "excerpt_id": [f"E{i}" for i in range(len(texts))],
            "participant_role": "frontline_practitioner",
            "cleared_for_publication": True,
            "text": texts,
        }
    )


@pytest.mark.parametrize(
    "text, kind",
    [
        # passed at ingest (and by the old publication screen, which used the same patterns)
        ("Her NHS number is 943 476 5918, one digit out", "number shaped like an NHS number"),
        ("Write to QQ 12 34 56 C at the DWP", "code shaped like a National Insurance number"),
        ("she posts as @jo_bloggs81 every night", "@ address or handle"),
        ("she was born in 1981 in the town", "date or year next to a birth keyword"),
        # identifiers the old patterns missed in these formats
        ("NHS no. 999.239.6229 is on file", "NHS number"),
        ("write to jo.bloggs @ example.org", "email address"),
    ],
)
def test_quote_screen_is_stricter_than_ingest(text, kind):
    screen = cd.screen_quotes(_excerpts([text, "We re-key every referral by hand."]))
    assert screen["quotable"].tolist() == [False, True]
    reason = screen["reason"].iloc[0]
    assert reason.startswith("identifier found:") and kind in reason
    assert text not in reason
    assert not [t for t in text.split() if any(c.isdigit() for c in t) and t in reason]
    assert "jo_bloggs81" not in reason and "example.org" not in reason


def test_published_register_text_is_checked_and_located():
    tables = {
        "journeys": pd.DataFrame(
            {
                "stream_id": ["S1", "S2"],
                "security_controls": ["MFA", "ask jo.bloggs (at) example (dot) org"],
                "volume_per_year": [10, 20],
            }
        ),
        "gaps": pd.DataFrame({"stream_name": ["Referrals", "Referrals"]}),
    }
    with pytest.raises(pii.IdentifierInOutput) as e:
        pii.check_published_text(tables)
    msg = str(e.value)
    assert (
        "published table 'journeys', line 3, column 'security_controls': holds what looks "
        "like an email address" in msg
    )
    assert "jo.bloggs" not in msg and "example" not in msg
    pii.check_published_text({"gaps": tables["gaps"]})  # clean text passes

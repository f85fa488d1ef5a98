"""Writing .xlsx files that are byte-identical for the same content.

openpyxl stamps the save time into ``docProps/core.xml`` and each zip entry, so two saves of
the same workbook differ. Same inputs must give same outputs (the project's rule: same inputs, same outputs), so
:func:`save_deterministic` rewrites those stamps to a fixed instant after saving.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
FIXED_ISO = "2026-01-01T00:00:00Z"
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def save_deterministic(workbook, path: str | Path) -> Path:
    """Save an openpyxl workbook to ``path`` with fixed timestamps; returns the path."""
    buf = io.BytesIO()
    workbook.save(buf)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>" + FIXED_ISO.encode() + rb"\g<2>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zout.writestr(zi, data)
    path.write_bytes(out.getvalue())
    return path

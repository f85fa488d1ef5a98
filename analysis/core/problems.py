"""Located input problems, and a table read as text that knows where each cell came from.

The one place where an error about an input is worded. A problem names the file, sheet, row
and column and says what was expected; it never repeats a value of the input, which may be
personal data. That includes the input's own headers and sheet names: a column is named only
when its header is one of the names the project's schemas expect (``column 'Q03' (D)``);
any other column is located by its position (``column 7 (G)``). A sheet is only ever named by
the name the pipeline asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

MAX_PROBLEMS_SHOWN = 20


def column_letter(index: int) -> str:
    """Spreadsheet letter of the 0-based column ``index`` (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with an input, located as precisely as the input allows.

    ``column`` is a column name the project expects (from a schema or the questionnaire),
    never an input's own header; ``column_number`` (1-based) and ``column_letter`` locate a
    column by position. Likewise ``sheet`` is a sheet name the pipeline asked for, and
    ``sheet_number`` locates any other sheet by position.
    """

    file: str
    expected: str
    sheet: str | None = None
    row: int | None = None  # 1-based row as a spreadsheet shows it
    column: str | None = None
    column_letter: str | None = None  # spreadsheet column letter
    column_number: int | None = None  # 1-based position, for a column located by position
    sheet_number: int | None = None  # 1-based position, for a sheet the pipeline did not name

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        elif self.sheet_number is not None:
            where.append(f"sheet {self.sheet_number}")
        if self.row is not None:
            where.append(f"row {self.row}")
        letter = f" ({self.column_letter})" if self.column_letter else ""
        if self.column is not None:
            where.append(f"column '{self.column}'{letter}")
        elif self.column_number is not None:
            where.append(f"column {self.column_number}{letter}")
        return f"{', '.join(where)}: {self.expected}"


class InputError(ValueError):
    """Raised when an input fails validation; carries every problem found."""

    def __init__(self, problems: Iterable[InputProblem]):
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} in the input:"]
        lines += [f"  - {p}" for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        if n > MAX_PROBLEMS_SHOWN:
            lines.append(f"  ... and {n - MAX_PROBLEMS_SHOWN} more of the same kinds")
        return "\n".join(lines)


@dataclass
class RawTable:
    """A table read as text, with what is needed to locate a cell in the source file.

    ``positions`` maps each column of ``data`` to its 0-based position in the file;
    ``expected`` holds the column names the project's schemas know. :meth:`where` names a
    column only when it is expected, and otherwise locates it by position, so a header that
    is really a data value (a file saved without its header row) is never repeated.
    """

    data: pd.DataFrame  # every cell a str ("" when empty); columns unique, as in the header row
    file: str
    sheet: str | None = None
    file_rows: list[int] = field(default_factory=list)  # file row (1-based) of each data row
    positions: dict[str, int] = field(default_factory=dict)
    expected: set[str] = field(default_factory=set)

    def expect(self, names: Iterable[str]) -> RawTable:
        """Add column names the project's schemas know (they may then be printed)."""
        self.expected |= {str(n) for n in names}
        return self

    def letter(self, column: str) -> str | None:
        pos = self.positions.get(column)
        return None if pos is None else column_letter(pos)

    def where(self, row_pos: int | None = None, column: str | None = None, expected: str = ""):
        """A problem at data row ``row_pos`` (0-based position in ``data``) and ``column``."""
        row = None if row_pos is None else self.file_rows[int(row_pos)]
        if column is None:
            return InputProblem(self.file, expected, self.sheet, row)
        pos = self.positions.get(column)
        letter = None if pos is None else column_letter(pos)
        if column in self.expected:
            return InputProblem(self.file, expected, self.sheet, row, column, letter)
        number = None if pos is None else pos + 1
        return InputProblem(self.file, expected, self.sheet, row, None, letter, number)

    def at_position(self, pos: int, expected: str, row: int | None = None) -> InputProblem:
        """A problem in the column at 0-based file position ``pos`` (``row``: a file row),
        named only if its header is an expected name."""
        name = next((c for c, p in self.positions.items() if p == pos), None)
        if name is not None and name in self.expected:
            return InputProblem(self.file, expected, self.sheet, row, name, column_letter(pos))
        return InputProblem(self.file, expected, self.sheet, row, None, column_letter(pos), pos + 1)

    def select(self, columns: Iterable[str], rename: dict | None = None) -> RawTable:
        """The table with only ``columns`` (renamed by ``rename``), keeping every location."""
        columns = list(columns)
        rename = rename or {}
        seen: dict[str, str] = {}
        problems = []
        for c in columns:
            new = rename.get(c, c)
            if new in seen:
                name = f"'{new}'" if new in self.expected else "the same name"
                problems.append(
                    self.at_position(
                        self.positions[c],
                        f"is mapped to {name} as column {self.positions[seen[new]] + 1} "
                        f"({column_letter(self.positions[seen[new]])}) is; expected each "
                        "column once (check column_map)",
                    )
                )
            seen.setdefault(new, c)
        if problems:
            raise InputError(problems)
        data = self.data[columns].rename(columns=rename)
        positions = {rename.get(c, c): self.positions[c] for c in columns if c in self.positions}
        return RawTable(data, self.file, self.sheet, self.file_rows, positions, set(self.expected))

"""A user's own points from a CSV file: columns x1, x2, label, with or without a header row.

Anything a user can get wrong in the file is answered with a ValueError that says what is wrong and
where, so the app can show the message as it is (it is an ``nnlib.messages.Message``, so the app can also
say it in another language). Rows are counted as the file's lines, header and blank lines included, so a row
number matches the one a spreadsheet or text editor shows.

A file of a few megabytes can hold a line of millions of fields, or millions of lines: a row wider than three
is refused before its fields are looked at one by one, and reading stops after MAX_LINES lines, so any file is
answered quickly.
"""

import csv
import io
import itertools
import math
import os

import numpy as np

from nnlib.datasets._common import MAX_CLASSES, one_hot
from nnlib.messages import Message, listing, quoted, reason

MAX_ROWS = 100_000
MAX_LINES = 2 * MAX_ROWS  # room for a blank line after every point
MAX_BYTES = 20_000_000
COLUMNS = ("x1", "x2", "label")


def load_points(file):
    """Read points from ``file``, a path or a binary file object (such as an upload), as ``(x, t)``.

    x is float64 (N, 2); t is one-hot int64 (N, K) with K = largest label + 1. Without a header the
    columns are x1, x2, label in that order; with one they are found by name.
    """
    rows = _non_blank_rows(_decode(_read_limited(file)))
    first = next(rows, None)
    if first is None:
        raise ValueError(Message("the file is empty: expected rows of x1, x2, label"))
    _check_not_too_wide(*first)
    if all(_is_number(field) for field in first[1]):
        order = tuple(range(len(COLUMNS)))
        rows = itertools.chain([first], rows)
    else:
        order = _column_order(*first)
    points, labels = _parse_rows(rows, order)
    if len(set(labels)) < 2:
        found = Message("every row has label {label}", label=labels[0]) if labels else Message("there are no data rows")
        raise ValueError(Message("need at least two classes to classify, but {found}", found=found))
    return np.array(points, dtype=np.float64), one_hot(labels, max(labels) + 1)


def _read_limited(file):
    """At most MAX_BYTES + 1 bytes, so an oversized file is refused without being read whole."""
    if isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    else:
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(Message("the file is larger than {megabytes} MB", megabytes=MAX_BYTES // 1_000_000))
    return data


def _decode(data):
    """UTF-8 text, with a byte-order mark (as Excel writes one) dropped."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            Message(
                "the file is not UTF-8 text (byte {position} cannot be decoded): save the CSV as UTF-8",
                position=error.start,
            )
        ) from None


def _non_blank_rows(text):
    """(row number, fields) for each row that has anything in it, up to line MAX_LINES."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for fields in reader:
            if reader.line_num > MAX_LINES:
                raise ValueError(
                    Message(
                        "more than {lines:,} lines, blank ones included: the limit is {points:,} points",
                        lines=MAX_LINES,
                        points=MAX_ROWS,
                    )
                )
            if "".join(fields).strip():
                yield reader.line_num, fields
    except csv.Error as error:
        raise ValueError(
            Message("row {row}: not readable as CSV ({reason})", row=reader.line_num, reason=reason(error))
        ) from None


def _column_order(row, header):
    """Where x1, x2 and label are in a header: by name, in any order, ignoring case and spaces."""
    names = [name.strip().lower() for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise ValueError(
            Message(
                "missing column(s) {missing}: row {row} is not all numbers, so it is read as a header, and it names "
                "{names} instead of x1, x2, label",
                missing=", ".join(missing),
                row=row,
                names=listing(names),
            )
        )
    return tuple(names.index(column) for column in COLUMNS)


def _parse_rows(rows, order):
    points, labels = [], []
    for row, fields in rows:
        if len(points) == MAX_ROWS:
            raise ValueError(Message("more than {limit:,} data rows: the limit is {limit:,} points", limit=MAX_ROWS))
        _check_not_too_wide(row, fields)
        if len(fields) < len(COLUMNS):
            raise ValueError(
                Message(
                    "row {row}: missing column(s): expected 3 values (x1, x2, label), found {count}",
                    row=row,
                    count=len(fields),
                )
            )
        x1, x2, label = (_number(row, column, fields[index]) for column, index in zip(COLUMNS, order))
        if not (label.is_integer() and 0 <= label < MAX_CLASSES):
            raise ValueError(
                Message(
                    "row {row}, column label: a label must be a whole number from 0 to {largest}, found {value}",
                    row=row,
                    largest=MAX_CLASSES - 1,
                    value=quoted(fields[order[-1]]),
                )
            )
        points.append((x1, x2))
        labels.append(int(label))
    return points, labels


def _check_not_too_wide(row, fields):
    """Checked before anything looks at each field: a line of a few megabytes can hold millions."""
    if len(fields) > len(COLUMNS):
        raise ValueError(
            Message(
                "row {row}: too many columns ({count}): points have 2 input columns, so a file holds exactly 3: "
                "x1, x2, label",
                row=row,
                count=len(fields),
            )
        )


def _number(row, column, field):
    try:
        value = float(field)
    except ValueError:
        raise ValueError(
            Message(
                "row {row}, column {column}: expected a number, found {value}",
                row=row,
                column=column,
                value=quoted(field),
            )
        ) from None
    if not math.isfinite(value):
        raise ValueError(
            Message(
                "row {row}, column {column}: {value} is not a finite number (NaN or inf)",
                row=row,
                column=column,
                value=quoted(field),
            )
        )
    return value


def _is_number(field):
    try:
        float(field)
    except ValueError:
        return False
    return True

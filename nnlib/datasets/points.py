"""A user's own points from a CSV file: columns x1, x2, label, with or without a header row.

Anything a user can get wrong in the file is answered with a ValueError that says what is wrong and
where, so the app can show the message as it is. Rows are counted as the file's lines, header and blank
lines included, so a row number matches the one a spreadsheet or text editor shows.
"""

import csv
import io
import itertools
import math
import os

import numpy as np

from nnlib.datasets._common import MAX_CLASSES, one_hot

MAX_ROWS = 100_000
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
        raise ValueError("the file is empty: expected rows of x1, x2, label")
    if all(_is_number(field) for field in first[1]):
        order = tuple(range(len(COLUMNS)))
        rows = itertools.chain([first], rows)
    else:
        order = _column_order(*first)
    points, labels = _parse_rows(rows, order)
    if len(set(labels)) < 2:
        found = f"every row has label {labels[0]}" if labels else "there are no data rows"
        raise ValueError(f"need at least two classes to classify, but {found}")
    return np.array(points, dtype=np.float64), one_hot(labels, max(labels) + 1)


def _read_limited(file):
    """At most MAX_BYTES + 1 bytes, so an oversized file is refused without being read whole."""
    if isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    else:
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"the file is larger than {MAX_BYTES // 1_000_000} MB")
    return data


def _decode(data):
    """UTF-8 text, with a byte-order mark (as Excel writes one) dropped."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"the file is not UTF-8 text (byte {error.start} cannot be decoded): save the CSV as UTF-8"
        ) from None


def _non_blank_rows(text):
    """(row number, fields) for each row that has anything in it."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for fields in reader:
            if any(field.strip() for field in fields):
                yield reader.line_num, fields
    except csv.Error as error:
        raise ValueError(f"row {reader.line_num}: not readable as CSV ({error})") from None


def _column_order(row, header):
    """Where x1, x2 and label are in a header: by name, in any order, ignoring case and spaces."""
    names = [name.strip().lower() for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise ValueError(
            f"missing column(s) {', '.join(missing)}: row {row} is not all numbers, so it is read as a "
            f"header, and it names {', '.join(map(repr, names))} instead of x1, x2, label"
        )
    _check_width(row, header)
    return tuple(names.index(column) for column in COLUMNS)


def _parse_rows(rows, order):
    points, labels = [], []
    for row, fields in rows:
        if len(points) == MAX_ROWS:
            raise ValueError(f"more than {MAX_ROWS:,} data rows: the limit is {MAX_ROWS:,} points")
        _check_width(row, fields)
        x1, x2, label = (_number(row, column, fields[index]) for column, index in zip(COLUMNS, order))
        if not (label.is_integer() and 0 <= label < MAX_CLASSES):
            raise ValueError(
                f"row {row}, column label: a label must be a whole number from 0 to {MAX_CLASSES - 1}, "
                f"found {_shorten(fields[order[-1]])}"
            )
        points.append((x1, x2))
        labels.append(int(label))
    return points, labels


def _check_width(row, fields):
    if len(fields) < len(COLUMNS):
        raise ValueError(f"row {row}: missing column(s): expected 3 values (x1, x2, label), found {len(fields)}")
    if len(fields) > len(COLUMNS):
        raise ValueError(
            f"row {row}: too many columns ({len(fields)}): points have 2 input columns, "
            "so a file holds exactly 3: x1, x2, label"
        )


def _number(row, column, field):
    try:
        value = float(field)
    except ValueError:
        raise ValueError(f"row {row}, column {column}: expected a number, found {_shorten(field)}") from None
    if not math.isfinite(value):
        raise ValueError(f"row {row}, column {column}: {_shorten(field)} is not a finite number (NaN or inf)")
    return value


def _is_number(field):
    try:
        float(field)
    except ValueError:
        return False
    return True


def _shorten(field):
    """The field as a quoted string, cut short, so one huge field cannot flood the message."""
    return repr(field if len(field) <= 30 else field[:30] + "…")

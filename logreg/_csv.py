"""The CSV reader behind :func:`logreg.data.read_csv` (private; import ``read_csv`` from there).

Design, for speed on big all-numeric files and safety on everything else:

1. Look only at the first 64 KB ("the head") to reject binary files, pick the text encoding, the
   separator, the decimal mark and whether the first row is a header.
2. Parse the whole file once with pandas' C engine, the separator passed explicitly. A path is
   handed to pandas as a path (no extra copy of the bytes in memory).
3. Clean up column by column. All-numeric columns go to float64 in one conversion; min/max per
   column give infinities, absurd magnitudes and constant columns without temporary arrays.

Any exception that is not a DataError is turned into one at the door, so no bytes can produce
another exception type.
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from logreg.dataset import (
    MAX_ABS_VALUE,
    MAX_CATEGORIES,
    MAX_CLASSES,
    MAX_FEATURES,
    MAX_NUMERIC_CLASSES,
    DataError,
    Dataset,
)

HEAD_BYTES = 64 * 1024
#: A header line longer than this is not a table we can use.
MAX_LINE_BYTES = 4 * 1024 * 1024
#: Beyond this many columns we refuse to parse at all (even with ``features`` chosen).
MAX_PARSE_COLUMNS = 10 * MAX_FEATURES
SNIFF_LINES = 200
DELIMITERS = (",", ";", "\t", "|")
WHAT_A_CSV_IS = (
    "Upload a CSV file: plain text with one row per line, values separated by commas (or "
    "semicolons or tabs), column names in the first row and the class in one of the columns."
)

_SIGNATURES = [
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Excel (.xls) or other Microsoft Office file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"\x7fELF", "a program (executable)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x93NUMPY", "a NumPy array file"),
    (b"\x80\x04\x95", "a Python pickle"),
] + [(b"BZh%d1AY&SY" % level, "a bzip2-compressed file") for level in range(1, 10)]
# (Parquet's "PAR1" is left to the binary check: a CSV header may well start with "PAR1,".)

_NUMBER_DOT = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
_NUMBER_COMMA = re.compile(r"^\s*[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?\s*$")
_DECIMAL_DOT = re.compile(r"^\s*[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?\s*$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_COLUMN_MISMATCH = re.compile(r"usecols|names|columns specified|columns passed", re.IGNORECASE)
_THOUSANDS = {
    ",": re.compile(r"^\s*[+-]?\d{1,3}(,\d{3})+(\.\d+)?\s*$"),
    ".": re.compile(r"^\s*[+-]?\d{1,3}(\.\d{3})+(,\d+)?\s*$"),
}
_ID_NAMES = frozenset(
    "id|ids|index|idx|row|rowid|row id|row_id|row number|row_number|rownumber|row no|row_no|no|no.|"
    "nr|nr.|number|#|n°|key|unnamed: 0|record|record id|sample id|case id|uuid|guid".split("|")
)


def read_csv(source, target=None, features=None) -> Dataset:
    try:
        return _Reader(source, target, features).run()
    except DataError:
        raise
    except MemoryError as exc:
        raise DataError(
            "This file is too big or too wide to load in memory here. Use fewer rows or columns "
            "(for example, save a sample of the rows as a new CSV)."
        ) from exc
    except RecursionError as exc:
        raise DataError(
            f"This file's structure is too deeply nested to read as a table. {WHAT_A_CSV_IS}"
        ) from exc
    except Exception as exc:  # the promise: no bytes ever produce another exception type
        err = DataError(
            f"This file could not be read as a table ({type(exc).__name__}: {_short(str(exc))}). "
            f"{WHAT_A_CSV_IS}"
        )
        err._unexpected = True  # lets the fuzz tests tell a safety-net catch from a planned message
        raise err from exc


def csv_columns(source) -> tuple[str, ...]:
    """Names of a CSV's columns, as ``read_csv`` will name them, from its first 64 KB only.

    For a target picker shown before the whole file is parsed. Raises DataError when the bytes are
    not a table (the same message ``read_csv`` gives).
    """
    reader = _Reader(source, None, None)
    try:
        reader._check_arguments()
        reader._take_source()
        reader._check_head()
        reader._sniff(reader._decode_head())
    except DataError:
        raise
    except Exception as exc:  # the same promise as read_csv: only DataError
        raise DataError(f"This file could not be read as a table. {WHAT_A_CSV_IS}") from exc
    names = reader.names if reader.names is not None else reader.header_fields
    return tuple(_clean_names(names))


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _quote_list(names, limit: int = 30) -> str:
    names = list(names)
    shown = ", ".join(f"'{n}'" for n in names[:limit])
    if len(names) > limit:
        shown += f" and {len(names) - limit:,} more"
    return shown


class _Reader:
    def __init__(self, source, target, features):
        self.source = source
        self.target = target
        self.features = features
        self.notes: list[str] = []
        self.name = "uploaded data"
        self.path: str | None = None
        self.data: bytes | None = None
        self.head = b""
        self.head_is_all = True
        self.total_bytes = 0

    # ---- 1. bytes in -------------------------------------------------------------------------

    def run(self) -> Dataset:
        self._check_arguments()
        self._take_source()
        self._check_head()
        text = self._decode_head()
        self._sniff(text)
        frame = self._parse()
        return _TableBuilder(frame, self).build()

    def _check_arguments(self):
        if self.target is not None and not isinstance(self.target, str):
            raise DataError(f"target must be a column name (text); got {self.target!r}.")
        if self.features is not None:
            feats = [self.features] if isinstance(self.features, str) else self.features
            try:
                feats = list(feats)
            except TypeError:
                feats = None
            if feats is None or not all(isinstance(f, str) for f in feats):
                raise DataError(f"features must be a list of column names; got {self.features!r}.")
            if not feats:
                raise DataError("features is empty: choose at least one feature column.")
            self.features = list(dict.fromkeys(feats))

    def _take_source(self):
        src = self.source
        if isinstance(src, str) and ("\n" in src or "\r" in src):
            self._set_data(src.encode("utf-8", errors="replace"))
            return
        if isinstance(src, (str, os.PathLike)):
            self._take_path(src)
            return
        if isinstance(src, (bytes, bytearray, memoryview)):
            self._set_data(bytes(src))
            return
        if hasattr(src, "read") or hasattr(src, "getvalue"):
            name = getattr(src, "name", None)
            if isinstance(name, (str, os.PathLike)) and str(name):
                self.name = Path(str(name)).stem or self.name
            try:
                # getvalue() ignores the read position: Streamlit reruns hand over the same object.
                content = src.getvalue() if hasattr(src, "getvalue") else src.read()
            except (OSError, ValueError) as exc:
                raise DataError(
                    f"The file could not be read ({_short(str(exc))}). Try uploading it again."
                ) from exc
            if isinstance(content, str):
                content = content.encode("utf-8", errors="replace")
            if not isinstance(content, (bytes, bytearray, memoryview)):
                raise DataError(
                    "The file object gave neither text nor bytes when read; pass the file's bytes instead."
                )
            self._set_data(bytes(content))
            return
        raise DataError(
            f"read_csv needs a file path, the file's bytes or an open file; got {type(src).__name__}."
        )

    def _take_path(self, src):
        path = Path(src)
        self.name = path.stem or self.name
        try:
            if not path.exists():
                raise DataError(f"There is no file at '{path}'. Check the name and folder.")
            if path.is_dir():
                raise DataError(f"'{path}' is a folder, not a file. Choose the CSV file inside it.")
            self.total_bytes = path.stat().st_size
            with open(path, "rb") as fh:
                head = fh.read(HEAD_BYTES)
                while len(head) < self.total_bytes and b"\n" not in head and b"\r" not in head:
                    more = fh.read(HEAD_BYTES)
                    if not more:
                        break
                    head += more
                    if len(head) > MAX_LINE_BYTES:
                        break
        except DataError:
            raise
        except (OSError, ValueError) as exc:
            raise DataError(f"The file '{path}' could not be opened ({_short(str(exc))}).") from exc
        self.path = str(path)
        self.head = head
        self.head_is_all = len(head) >= self.total_bytes

    def _set_data(self, data: bytes):
        self.data = data
        self.total_bytes = len(data)
        end = HEAD_BYTES
        while (
            end < len(data)
            and b"\n" not in data[:end]
            and b"\r" not in data[:end]
            and end <= MAX_LINE_BYTES
        ):
            end *= 2
        self.head = data[:end]
        self.head_is_all = end >= len(data)

    def _full_bytes(self) -> bytes:
        if self.data is None:
            with open(self.path, "rb") as fh:
                self.data = fh.read()
            self.path = None
        return self.data

    # ---- 2. what kind of bytes ---------------------------------------------------------------

    def _check_head(self):
        head = self.head
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            self._convert_utf16()
            head = self.head
        stripped = head.lstrip(b"\xef\xbb\xbf").strip()
        if not stripped:
            raise DataError(
                "The file is empty. Choose a CSV file that has column names in the first row and "
                "data below them."
            )
        for magic, what in _SIGNATURES:
            if head.startswith(magic):
                if magic.startswith(b"PK") and (b"xl/" in head or b"[Content_Types].xml" in head):
                    what = "an Excel workbook (.xlsx)"
                if "Excel" in what:
                    todo = "In Excel, use File > Save As > 'CSV (comma delimited)' and upload that file."
                elif "archive" in what or "compressed" in what:
                    todo = "Unpack it first and upload the CSV file that is inside."
                else:
                    todo = "Export or save your table as a CSV text file and upload that instead."
                raise DataError(f"This file is {what}, not a CSV table. {todo}")
        sample = head[:8192]
        controls = sum(sample.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13))
        if b"\x00" in sample or controls > max(2, len(sample) // 100):
            raise DataError(
                "This file contains binary data (not text), so it is not a CSV table. "
                f"{WHAT_A_CSV_IS} If it is a spreadsheet, save it as CSV first."
            )

    def _convert_utf16(self):
        data = self._full_bytes()
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataError(
                "This file starts like UTF-16 text but is not valid UTF-16. Save it as 'CSV UTF-8' "
                "and try again."
            ) from exc
        self.notes.append(
            "The file was UTF-16 text (as Excel's 'Unicode text' saves it); it was converted."
        )
        self._set_data(text.encode("utf-8", errors="replace"))

    def _decode_head(self) -> str:
        head = self.head
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        self.encoding = "utf-8"
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if not self.head_is_all and exc.start >= len(head) - 3:
                text = head[: exc.start].decode("utf-8", errors="replace")
            else:
                self._use_latin1()
                text = head.decode("latin-1")
        low = text.lstrip().lower()
        if low.startswith(("<!doctype html", "<html", "<?xml", "<head", "<body", "<table", "<svg")):
            raise DataError(
                "This file is a web page or XML document, not a CSV table. If you saved it from a "
                "website, look for a 'Download CSV' or 'raw' link. " + WHAT_A_CSV_IS
            )
        if low.startswith("{") or (low.startswith("[") and ("{" in low[:200] or "[[" in low[:10])):
            raise DataError(
                "This file looks like JSON, not a CSV table. Convert it to CSV (rows and columns) "
                "first. " + WHAT_A_CSV_IS
            )
        return text

    def _use_latin1(self):
        if self.encoding != "latin-1":
            self.encoding = "latin-1"
            self.notes.append(
                "The file is not UTF-8 text, so it was read as Latin-1 (Western European). "
                "Check that accented letters look right; if not, save the file as 'CSV UTF-8'."
            )

    # ---- 3. separator, decimal mark, header ---------------------------------------------------

    def _sniff(self, text: str):
        # pandas ends lines only at \n, \r or \r\n (str.splitlines also splits at \x1c, \x85, ...).
        lines = _LINE_BREAK.split(text)
        if not self.head_is_all and len(lines) > 1:
            lines = lines[:-1]  # the last line of a cut-off head is probably incomplete
        lines = [ln for ln in lines if ln.strip()][:SNIFF_LINES]
        best = None
        # An odd number of quotes means one is never closed: split as pandas will (quotes ignored).
        quoting = csv.QUOTE_NONE if sum(ln.count('"') for ln in lines) % 2 else csv.QUOTE_MINIMAL
        for delim in DELIMITERS:
            rows = _split_rows(lines, delim, quoting)
            lengths = [len(r) for r in rows]
            if not lengths:
                continue
            mode, hits = Counter(lengths).most_common(1)[0]
            if mode < 2 or hits < 0.75 * len(lengths):
                continue
            score = (hits / len(lengths), lengths[0] == mode, mode)
            if best is None or score > best[0]:
                best = (score, delim, rows)
        if best is None:
            rows = [ln.split() for ln in lines]
            lengths = [len(r) for r in rows]
            if (
                len(lengths) >= 2
                and lengths[0] >= 2
                and sum(n == lengths[0] for n in lengths) / len(lengths) >= 0.9
            ):
                best = ((1.0, True, lengths[0]), r"\s+", rows)
        if best is None:
            if len(lines) <= 1:
                what = "only one line with no separators"
            else:
                what = f"{len(lines):,} lines but no consistent separator between values"
            raise DataError(
                f"This file is not a table: it has {what}. A table for classification needs at least "
                "two columns (features and a class) separated by commas, semicolons, tabs or '|'. "
                + WHAT_A_CSV_IS
            )
        self.sep = best[1]
        rows = best[2]
        header = [c.strip() for c in rows[0]]
        self.header_fields = header
        body = rows[1:]
        self.n_header_fields = len(header)
        if self.n_header_fields > MAX_PARSE_COLUMNS:
            raise DataError(
                f"This file has {self.n_header_fields:,} columns; at most {MAX_FEATURES:,} feature "
                "columns are supported. Save only the columns you need as a new CSV."
            )
        self.decimal = "."
        if self.sep != ",":
            cells = [c for r in body for c in r]
            commas = sum(1 for c in cells if _NUMBER_COMMA.match(c))
            dots = sum(1 for c in cells if _DECIMAL_DOT.match(c))
            if commas and commas >= dots:
                self.decimal = ","
        sep_note = {";": "semicolons", "\t": "tabs", "|": "'|' characters", r"\s+": "spaces"}.get(
            self.sep
        )
        if sep_note and self.decimal == ",":
            self.notes.append(
                f"Values are separated by {sep_note} and use a decimal comma (1,5 means 1.5)."
            )
        elif sep_note:
            self.notes.append(f"Values are separated by {sep_note}.")
        # Header or data? A first row of only numbers (and a body) is data.
        self.header_row = True
        if body and all(_looks_numeric(c, self.decimal) for c in header):
            self.header_row = False
            self.names = [f"column {i + 1}" for i in range(len(header))]
            self.notes.append(
                "The first row holds only numbers, so it was read as data and the columns were "
                f"named 'column 1' to 'column {len(header)}'."
            )
        else:
            self.names = None
            # Data rows with one value more than the header: a trailing separator on each data row,
            # or a row-label column without a header name (pandas would silently make it an index).
            lens = [len(r) for r in body]
            if lens and sum(n == len(header) + 1 for n in lens) >= 0.9 * len(lens):
                if all(not r[-1].strip() for r in body if len(r) == len(header) + 1):
                    self.names = header + ["(empty)"]
                else:
                    self.names = ["(row label)"] + header
        # A first data row longer than the header would make pandas truncate it with a warning;
        # say so ourselves and read only the named columns.
        self.usecols = None
        width = len(self.names) if self.names is not None else len(header)
        if self.header_row and body and len(body[0]) > width:
            self.usecols = list(range(width))
            self.notes.append(
                f"Some rows have more values than there are column names ({len(body[0])} instead of "
                f"{width} in the first data row); the extra values were ignored."
            )
        self.skip_lines = 0
        if self.names is not None and self.header_row:
            raw_lines = _LINE_BREAK.split(text)
            while self.skip_lines < len(raw_lines) and not raw_lines[self.skip_lines].strip():
                self.skip_lines += 1
            self.skip_lines += 1

    # ---- 4. one pandas parse ------------------------------------------------------------------

    def _parse(self) -> pd.DataFrame:
        kwargs = dict(
            sep=self.sep,
            decimal=self.decimal,
            engine="c",
            index_col=False,
            compression=None,
            skip_blank_lines=True,
        )
        if self.names is not None:
            # pandas needs unique names; empty and repeated ones get the same fixes as a header.
            kwargs.update(header=None, names=_clean_names(self.names), skiprows=self.skip_lines)
        if self.usecols is not None:
            kwargs["usecols"] = self.usecols
        quotes_ignored = rows_skipped = False
        for _attempt in range(6):
            try:
                return self._read(kwargs)
            except UnicodeDecodeError:
                if self.encoding == "latin-1":
                    raise
                self._use_latin1()
            except pd.errors.EmptyDataError as exc:
                raise DataError(
                    "The file has no rows or columns to read (it is empty or only blank lines). "
                    + WHAT_A_CSV_IS
                ) from exc
            except ValueError as exc:  # pandas' ParserError is a ValueError too
                msg = str(exc)
                if ("names" in kwargs or "usecols" in kwargs) and _COLUMN_MISMATCH.search(msg):
                    # The sniffer and pandas can disagree about odd first lines (stray quotes, a
                    # lone '\r'); then our names or usecols do not fit, and pandas' header wins.
                    for key in ("names", "usecols", "skiprows", "header"):
                        kwargs.pop(key, None)
                    continue
                if not isinstance(exc, pd.errors.ParserError):
                    raise
                if "EOF inside string" in msg and not quotes_ignored:
                    kwargs["quoting"] = csv.QUOTE_NONE
                    quotes_ignored = True
                    self.notes.append(
                        'A quote character (") was never closed, so quotes were read as ordinary '
                        "characters. Check the rows around the stray quote."
                    )
                    continue
                m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
                if m and not rows_skipped:
                    kwargs["on_bad_lines"] = "skip"
                    rows_skipped = True
                    self.notes.append(
                        f"Skipped rows that have more values than there are columns (the first is "
                        f"line {m.group(2)}, with {m.group(3)} values for {m.group(1)} columns)."
                    )
                    continue
                raise DataError(
                    f"This file could not be read as a table: {_short(msg)}. Check that every row has "
                    "the same number of separators. " + WHAT_A_CSV_IS
                ) from exc
        raise DataError("This file could not be read as a table. " + WHAT_A_CSV_IS)

    def _read(self, kwargs) -> pd.DataFrame:
        source = self.path if self.path is not None else io.BytesIO(self.data)
        # pandas warns (instead of failing) when a quoted field makes a row longer than the header
        # in a way the sniffer could not foresee, and about mixed types in big columns; both are
        # handled after parsing, so the warnings would only be noise in the server log.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            return pd.read_csv(source, encoding=self.encoding, **kwargs)


def _split_rows(lines, delim, quoting=csv.QUOTE_MINIMAL):
    try:
        return [r for r in csv.reader(lines, delimiter=delim, quotechar='"', quoting=quoting) if r]
    except csv.Error:
        return [ln.split(delim) for ln in lines]


def _looks_numeric(cell: str, decimal: str) -> bool:
    cell = cell.strip()
    if not cell:
        return False
    pattern = _NUMBER_COMMA if decimal == "," else _NUMBER_DOT
    return bool(pattern.match(cell) or (decimal == "," and _NUMBER_DOT.match(cell)))


# --------------------------------------------------------------------------------------------------
# From a parsed frame to a Dataset
# --------------------------------------------------------------------------------------------------


class _TableBuilder:
    def __init__(self, frame: pd.DataFrame, reader: _Reader):
        self.frame = frame
        self.reader = reader
        self.notes = reader.notes
        self.decimal = reader.decimal

    def build(self) -> Dataset:
        frame = self.frame
        names = _clean_names(frame.columns)
        frame.columns = pd.RangeIndex(len(names))  # positions from here on; names kept separately
        self.names = names
        n_rows = len(frame)
        if n_rows == 0:
            raise DataError(
                f"The file has column names ({_quote_list(names, 10)}) but no data rows below them. "
                "Add rows of data, at least 2 for each class."
            )
        if len(names) > MAX_PARSE_COLUMNS:
            raise DataError(
                f"This file has {len(names):,} columns; at most {MAX_FEATURES:,} feature columns are "
                "supported. Save only the columns you need as a new CSV."
            )
        if len(names) < 2:
            raise DataError(
                "This file has only one column. A table for classification needs at least two: one "
                "or more features and the class. " + WHAT_A_CSV_IS
            )
        chosen = self.reader.features
        # One missing-value mask per column, reused for empty columns and for dropping rows.
        na = [frame[i].isna().to_numpy() for i in range(len(names))]
        empty = [i for i in range(len(names)) if na[i].all()]
        target = self._resolve_target(empty)
        feature_idx = self._resolve_features(target, empty)

        y_series, y_missing = self._target_values(target)
        # Each output column is either a frame column position (int) or a ready float64 array.
        columns: list[tuple[str, int | np.ndarray]] = []
        missing_by_col: dict[str, np.ndarray] = {}
        explicit = chosen is not None
        for i in feature_idx:
            col = frame[i]
            name = names[i]
            miss = na[i]
            share = float(miss.mean())
            if share > 0.5 and not explicit:
                self.notes.append(
                    f"Left out '{name}': it is empty in {share:.0%} of the rows. Choose it as a "
                    "feature explicitly to keep it (rows where it is empty are then dropped)."
                )
                continue
            converted = None
            if not pd.api.types.is_numeric_dtype(col.dtype):
                converted = self._text_column(col, name)
                if converted is None:
                    continue
                if isinstance(converted, list):  # one-hot columns
                    for oh_name, arr, oh_miss in converted:
                        columns.append((oh_name, arr))
                        if oh_miss is not None:
                            missing_by_col[name] = oh_miss
                    continue
                col = converted
                miss = col.isna().to_numpy()
            if self._is_id_column(col, name, explicit):
                continue
            if miss.any():
                missing_by_col[name] = miss
            # Untouched numeric columns stay frame positions, so _assemble converts them in one go.
            columns.append((name, i if converted is None else col.to_numpy(dtype=np.float64)))

        X, col_names = self._assemble(columns, n_rows)
        keep = ~y_missing
        dropped_by: dict[str, int] = {}
        if y_missing.any():
            dropped_by[f"{names[target]} (the class)"] = int(y_missing.sum())
        for name, miss in missing_by_col.items():
            dropped_by[name] = int(miss.sum())
            keep &= ~miss
        # Missing cells in numeric columns are NaN in X; the masks above already hold them.
        n_dropped = int(n_rows - keep.sum())
        if n_dropped:
            parts = ", ".join(
                f"'{k}': {v:,}" for k, v in sorted(dropped_by.items(), key=lambda kv: -kv[1]) if v
            )
            self.notes.append(
                f"Dropped {n_dropped:,} of {n_rows:,} rows with missing values (missing in {parts})."
            )
            if not keep.any():
                worst = max(dropped_by, key=dropped_by.get)
                raise DataError(
                    f"Every row has a missing value in a column that is used (most often in '{worst}'), "
                    "so no rows are left. Leave out the columns with many empty cells (with the "
                    "features option) or fill in the missing values."
                )
            X = X[keep]
            y_series = y_series[keep]
        self._check_values(X, col_names, keep if n_dropped else None)
        X, col_names = self._drop_constant(X, col_names)
        y, class_names = self._encode_target(y_series, names[target], n_dropped)
        if not col_names:
            reasons = " ".join(n for n in self.notes if n.startswith("Left out"))[:1000]
            raise DataError(
                "No usable numeric feature columns are left."
                + (f" {reasons}" if reasons else "")
                + " A model needs at least one column of numbers (or of a few repeated categories) "
                "besides the class column. Check that the file has such columns, or choose others "
                "with the features option."
            )
        if len(col_names) > MAX_FEATURES:
            raise DataError(
                f"The table has {len(col_names):,} feature columns (after turning categories into "
                f"yes/no columns); at most {MAX_FEATURES:,} are supported. Choose up to "
                f"{MAX_FEATURES:,} columns with the features option."
            )
        return Dataset(
            X=X,
            y=y,
            feature_names=tuple(col_names),
            class_names=tuple(class_names),
            name=self.reader.name,
            notes=tuple(self.notes),
            # The kept rows' places among the file's data rows, for a predictions file to join on.
            source_rows=np.flatnonzero(keep) if n_dropped else None,
        )

    # ---- which columns -----------------------------------------------------------------------

    def _find(self, wanted: str, role: str) -> int:
        names = self.names
        w = wanted.strip()
        for candidates in (
            [i for i, n in enumerate(names) if n == wanted],
            [i for i, n in enumerate(names) if n == w],
            [i for i, n in enumerate(names) if n.casefold() == w.casefold()],
        ):
            if candidates:
                return candidates[0]
        raise DataError(
            f"There is no column called '{wanted}' to use as {role}. The columns are: "
            f"{_quote_list(names)}. Pick one of these."
        )

    def _resolve_target(self, empty) -> int:
        if self.reader.target is not None:
            t = self._find(self.reader.target, "the target (class)")
            if t in empty:
                raise DataError(
                    f"The target column '{self.names[t]}' is empty in every row. Pick a column that "
                    "holds the classes."
                )
            return t
        non_empty = [i for i in range(len(self.names)) if i not in empty]
        if not non_empty:
            raise DataError("Every column of this file is empty. " + WHAT_A_CSV_IS)
        return non_empty[-1]

    def _resolve_features(self, target: int, empty) -> list[int]:
        chosen = self.reader.features
        names = self.names
        if chosen is None:
            idx = [i for i in range(len(names)) if i != target]
            if len(idx) > MAX_PARSE_COLUMNS:
                raise DataError(
                    f"This file has {len(idx):,} feature columns; at most {MAX_FEATURES:,} are "
                    "supported. Choose the columns to use with the features option."
                )
        else:
            idx = []
            for f in chosen:
                i = self._find(f, "a feature")
                if i == target:
                    self.notes.append(
                        f"'{names[i]}' is the target (class) column, so it is not also used as a feature."
                    )
                elif i not in idx:
                    idx.append(i)
            if not idx:
                raise DataError(
                    f"No feature columns are left after removing the target '{names[target]}' from "
                    "the chosen features. Choose at least one other column."
                )
        dropped_empty = [i for i in idx if i in empty]
        if dropped_empty:
            self.notes.append(
                f"Left out {_quote_list([names[i] for i in dropped_empty], 10)}: empty in every row."
            )
        return [i for i in idx if i not in empty]

    # ---- column kinds -------------------------------------------------------------------------

    def _text_column(self, col: pd.Series, name: str):
        """A non-numeric column: numbers in disguise, categories (one-hot), or left out (None)."""
        if pd.api.types.is_bool_dtype(col.dtype):
            return col.astype("float64")
        text = _strip_text(col)
        numeric = _coerce_numeric(text, self.decimal)
        present = text.notna()
        n_present = int(present.sum())
        if n_present == 0:
            self.notes.append(f"Left out '{name}': empty in every row.")
            return None
        numeric_ok = numeric.notna()
        n_numeric = int(numeric_ok.sum())
        if n_numeric == n_present:
            return numeric
        bad = text[present & ~numeric_ok]
        tokens = bad.unique()
        if n_numeric >= n_present / 2 and len(tokens) <= 3:
            shown = ", ".join(f"'{t}'" for t in tokens[:3])
            self.notes.append(
                f"In '{name}', {len(bad):,} "
                f"{'value is not a number' if len(bad) == 1 else 'values are not numbers'} "
                f"({shown}); treated as missing."
            )
            return numeric
        n_unique = int(text.nunique(dropna=True))
        if n_unique == n_present and n_present >= 3:
            self.notes.append(
                f"Left out '{name}': every row has a different text value, like a name or an ID, so it "
                "cannot help tell classes apart."
            )
            return None
        if n_unique > MAX_CATEGORIES:
            self.notes.append(
                f"Left out '{name}': it has {n_unique:,} different text values, too many to use as "
                f"categories (at most {MAX_CATEGORIES})."
            )
            return None
        if n_unique < 2:
            self.notes.append(
                f"Left out '{name}': it has the same value ('{text.dropna().iloc[0]}') in every row, so "
                "it cannot help tell classes apart."
            )
            return None
        categories = sorted(text.dropna().unique().tolist())
        values = text.to_numpy(dtype=object)
        miss = ~present.to_numpy()
        out = []
        for cat in categories[1:]:
            arr = (values == cat).astype(np.float64)
            out.append((f"{name}={cat}", arr, miss if miss.any() else None))
        self.notes.append(
            f"Turned the text column '{name}' ({len(categories)} categories) into "
            f"{len(categories) - 1} yes/no column{'s' if len(categories) > 2 else ''} "
            f"({', '.join(n for n, _, _ in out[:5])}{', ...' if len(out) > 5 else ''}), "
            f"with '{categories[0]}' as the baseline."
        )
        return out

    def _is_id_column(self, col: pd.Series, name: str, explicit: bool) -> bool:
        """Whole numbers, different in every row, and named like an ID or counting 1, 2, 3, ..."""
        if col.dtype.kind not in "iu" or len(col) < 3:
            return False
        lowered = name.strip().lower()
        named_like_id = (
            lowered in _ID_NAMES
            or lowered.endswith(("_id", " id", "-id", ".id"))
            or re.search(r"[a-z]Id$", name.strip()) is not None
        )
        values = col.to_numpy()
        lo, hi = int(values.min()), int(values.max())
        if hi - lo + 1 < len(values):  # cheap necessary condition for "all different"
            return False
        consecutive = hi - lo + 1 == len(values)
        if not (named_like_id or consecutive or len(values) >= 20):
            return False
        if not col.is_unique:
            return False
        if explicit:
            return False
        if named_like_id or (consecutive and len(values) >= 10):
            self.notes.append(
                f"Left out '{name}': it looks like a row number or ID (a different whole number in "
                "every row), which says nothing about the class."
            )
            return True
        if len(values) >= 20:
            self.notes.append(
                f"'{name}' has a different whole number in every row. If it is an ID, leave it out "
                "with the features option; it was kept as a feature."
            )
        return False

    # ---- assembling and checking X --------------------------------------------------------------

    def _assemble(self, columns, n_rows):
        col_names = [n for n, _ in columns]
        positions = [c for _, c in columns if isinstance(c, int)]
        if len(positions) == len(columns) and columns:
            # The common path: untouched numeric columns, converted to float64 in one step
            # (a view, not a copy, when pandas already holds them as one float64 block).
            # (na_value is not passed: it would force a copy, and numeric columns hold NaN already.)
            return self.frame[positions].to_numpy(dtype=np.float64), col_names
        X = np.empty((n_rows, len(columns)), dtype=np.float64)
        for j, (_, c) in enumerate(columns):
            X[:, j] = self.frame[c].to_numpy(dtype=np.float64) if isinstance(c, int) else c
        return X, col_names

    def _check_values(self, X, col_names, kept_mask):
        if X.shape[1] == 0 or X.shape[0] == 0:
            return
        hi = X.max(axis=0)
        lo = X.min(axis=0)
        if np.isnan(hi).any() or np.isnan(lo).any():
            # NaN left only where a one-hot mask did not cover it; cannot happen, but stay honest.
            raise DataError(
                "Some values could not be read as numbers. Check the columns for stray text."
            )
        bad = np.flatnonzero(np.maximum(np.abs(hi), np.abs(lo)) > MAX_ABS_VALUE)
        if bad.size:
            j = int(bad[0])
            col = X[:, j]
            r = int(np.flatnonzero(~(np.abs(col) <= MAX_ABS_VALUE))[0])
            row = int(np.flatnonzero(kept_mask)[r]) + 1 if kept_mask is not None else r + 1
            value = col[r]
            if not np.isfinite(value):
                raise DataError(
                    f"Column '{col_names[j]}' has an infinite value ('{value}') in data row {row:,}. "
                    "Replace it with a real number or remove that row."
                )
            raise DataError(
                f"Column '{col_names[j]}' has the value {value:.4g} in data row {row:,}, larger than "
                f"{MAX_ABS_VALUE:.0e} in size. Values that big usually mean a unit or reading problem; "
                "rescale the column (for example to thousands) or remove those rows."
            )
        self._hi, self._lo = hi, lo

    def _drop_constant(self, X, col_names):
        if X.shape[1] == 0 or X.shape[0] == 0:
            return X, col_names
        const = np.flatnonzero(self._hi == self._lo)
        if const.size == 0:
            return X, col_names
        for j in const[:10]:
            self.notes.append(
                f"Left out '{col_names[j]}': it has the same value ({X[0, j]:g}) in every row, so it "
                "cannot help tell classes apart."
            )
        if const.size > 10:
            self.notes.append(
                f"Left out {const.size - 10:,} more columns that are the same in every row."
            )
        keep = np.setdiff1d(np.arange(X.shape[1]), const)
        return X[:, keep], [col_names[j] for j in keep]

    # ---- the target ---------------------------------------------------------------------------

    def _target_values(self, t: int):
        """Target as an array of labels (numbers or stripped strings) and its missing mask."""
        col = self.frame[t]
        if pd.api.types.is_bool_dtype(col.dtype):
            values = col.to_numpy()
            return values, np.zeros(len(values), dtype=bool)
        if pd.api.types.is_numeric_dtype(col.dtype):
            values = col.to_numpy()
            if values.dtype.kind == "f":
                return values, np.isnan(values)
            return values, np.zeros(len(values), dtype=bool)
        text = _strip_text(col)
        numeric = _coerce_numeric(text, self.decimal)
        present = text.notna()
        if int(numeric.notna().sum()) == int(present.sum()):
            values = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
            return values, np.isnan(values)
        values = text.to_numpy(dtype=object, na_value=None)
        return values, ~present.to_numpy()

    def _encode_target(self, values: np.ndarray, target_name: str, n_dropped: int):
        after = (
            f" after dropping {n_dropped:,} row{'s' if n_dropped != 1 else ''} with missing values"
            if n_dropped
            else ""
        )
        if values.dtype == object:
            labels, codes = np.unique(values.astype(str), return_inverse=True)
            class_names = [str(v) for v in labels]
            kind_hint = "a name or free text"
        else:
            codes, uniques = _encode_numbers(values)
            class_names = [_number_label(v) for v in uniques]
            kind_hint = "a number to predict"
        codes = np.asarray(codes, dtype=np.int64).reshape(-1)
        k = len(class_names)
        if values.dtype != object and values.dtype.kind != "b" and k > MAX_NUMERIC_CLASSES:
            # Before the 20-class limit: 11-20 different numbers would otherwise pass as classes.
            raise DataError(
                f"The target column '{target_name}' holds numbers with {k:,} different values "
                f"(from {class_names[0]} to {class_names[-1]}); this looks like a number to "
                "predict (a count or a measurement), not a class. A target of numbers can have "
                f"at most {MAX_NUMERIC_CLASSES} different values (class codes such as 0/1, or "
                "ratings 1 to 5). Pick the column that holds the classes as the target, or group "
                "the numbers into a few classes in your file first (for example 0-4, 5-9, 10 or "
                "more)."
            )
        if k > MAX_CLASSES:
            raise DataError(
                f"The target column '{target_name}' has {k:,} different values; this looks like "
                f"{kind_hint}, not a class. Pick a column with 2 to {MAX_CLASSES} classes as the target."
            )
        if k < 2:
            only = f" ('{class_names[0]}')" if class_names else ""
            raise DataError(
                f"The target column '{target_name}' has only one class{only}{after}. A classifier "
                "needs at least two classes: pick another target column or add rows of another class."
            )
        counts = np.bincount(codes, minlength=k)
        small = [i for i in range(k) if counts[i] < 2]
        if small:
            listed = ", ".join(f"'{class_names[i]}' ({counts[i]} sample)" for i in small[:5])
            raise DataError(
                f"In the target column '{target_name}', {'class' if len(small) == 1 else 'classes'} "
                f"{listed} {'has' if len(small) == 1 else 'have'} fewer than 2 samples{after}; every "
                "class needs at least 2. Add rows for it, remove those rows, or pick another target column."
            )
        return codes, class_names


def _clean_names(columns) -> list[str]:
    names, seen = [], set()
    for i, c in enumerate(columns):
        name = _unquote(str(c).replace("\ufeff", "").replace("\u00ef\u00bb\u00bf", "").strip())
        if not name or name.startswith("Unnamed: "):
            name = f"column {i + 1}"
        base, n = name, 2
        while name in seen:
            name = f"{base} ({n})"
            n += 1
        seen.add(name)
        names.append(name)
    return names


_QUOTES = ("'", '"')


def _quoted_by(text: str):
    """The quote character wrapped around the whole of ``text`` ('x' or "x"), else None."""
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] == text[0]:
        return text[0]
    return None


def _unquote(name: str) -> str:
    """A column name without a pair of quotes around it: statistics packages write 'GPA'."""
    return name[1:-1].strip() if _quoted_by(name) else name


def _strip_text(col: pd.Series) -> pd.Series:
    """Strings stripped of surrounding spaces; empty strings become missing.

    When every present value is wrapped in the same quotes ('a' 'b', as whitespace-separated
    files from statistics packages write them), the quotes go too: they are not part of the value.
    """
    text = col.astype(object).where(col.notna(), None)
    text = text.map(lambda v: v.strip() if isinstance(v, str) else (None if v is None else str(v)))
    text = text.where(text.map(lambda v: v is not None and v != ""), None)
    present = text.dropna()
    if len(present):
        quotes = set(present.map(_quoted_by))
        if len(quotes) == 1 and None not in quotes:
            text = text.map(lambda v: None if v is None else (v[1:-1].strip() or None))
    return text


def _coerce_numeric(text: pd.Series, decimal: str) -> pd.Series:
    """Numbers from text where every present value is one (also 1,5 and 1,234.5 styles)."""
    present = text.notna()
    numeric = pd.to_numeric(text, errors="coerce")
    if int(numeric.notna().sum()) == int(present.sum()):
        return numeric.astype("float64")
    values = text[present].astype(str)
    variants = []
    if decimal == "," or not values.str.contains(".", regex=False).any():
        variants.append(values.str.replace(",", ".", regex=False))
    for thousands, pattern in _THOUSANDS.items():
        if values.str.match(pattern.pattern).all():
            stripped = values.str.replace(thousands, "", regex=False)
            variants.append(
                stripped.str.replace(",", ".", regex=False) if thousands == "." else stripped
            )
    for variant in variants:
        converted = pd.to_numeric(variant, errors="coerce")
        if converted.notna().all():
            out = pd.Series(np.nan, index=text.index, dtype="float64")
            out[present] = converted.astype("float64")
            return out
    return numeric.astype("float64")


def _encode_numbers(values: np.ndarray):
    """Codes 0..k-1 and the sorted unique values; O(n) for small whole-number labels."""
    if values.dtype.kind == "b":
        uniques, codes = np.unique(values, return_inverse=True)
        return codes, uniques
    if values.dtype.kind == "f" and values.size:
        lo, hi = values.min(), values.max()
        if np.isfinite(lo) and np.isfinite(hi) and abs(lo) < 2**52 and abs(hi) < 2**52:
            as_int = values.astype(np.int64)
            if np.array_equal(as_int, values):
                values = as_int
    if values.dtype.kind in "iu" and values.size:
        lo, hi = int(values.min()), int(values.max())
        if hi - lo < 1_000_000:
            offset = values - lo
            present = np.bincount(offset, minlength=hi - lo + 1) > 0
            uniques_off = np.flatnonzero(present)
            lookup = np.full(hi - lo + 1, -1, dtype=np.int64)
            lookup[uniques_off] = np.arange(len(uniques_off))
            return lookup[offset], uniques_off + lo
    uniques, codes = np.unique(values, return_inverse=True)
    return codes, uniques


def _number_label(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    f = float(v)
    if np.isfinite(f) and f == int(f) and abs(f) < 2**53:
        return str(int(f))
    return repr(f)

"""就业扶贫 rules as code (Yang County 2020), from Python.

``payouts(data)`` decides every program for every subject of a roster and returns one dict
per decision, in the order of ``payouts.csv``, with ``amount`` a ``decimal.Decimal``
(never a float). ``data`` is a folder of CSV files (``laborers.csv``, ...), a workbook
(``roster.xlsx``, one sheet per file), or a dict of lists of records (or of pandas
DataFrames) whose keys are the CSV columns; amounts in records are strings or ``Decimal``
(a float is refused, so that no float ever holds money); dates are strings,
``datetime.date`` or a datetime (pandas' ``Timestamp``) at midnight with no time zone;
``None``, NaN, ``NaT`` or ``pd.NA`` is an empty cell, and a whole float (pandas' ``3.0``)
an integer.

Every function also takes ``encoding`` (``"auto"``, the default: UTF-8, or GBK/GB18030 when
a CSV file is in it; ``"utf-8"``; ``"gb18030"`` or ``"gbk"``) and ``clerk_formats``
(``False`` by default, POLICY.md's formats; ``True`` also reads dates and amounts as Excel
and WPS write them: ``2020/3/1``, ``2020年3月1日``, ``"1,234.50"``, ``¥500``).

>>> import jiuye_fupin
>>> rows = jiuye_fupin.payouts({"laborers": [{"id": "L1", "poverty_status": "lifted",
...     "able_to_work": True, "work_destination": "out_of_county",
...     "departure_date": "2020-02-20", "transport_cost": "523.40"}]})
>>> rows[0]["amount"]
Decimal('500.00')
"""

from __future__ import annotations

import datetime
import json
import math
import os
import re
from decimal import Decimal
from typing import Any, Dict, Iterator, List, Mapping, Optional, Union

from . import _native

__all__ = [
    "InputError",
    "payouts",
    "evaluate",
    "audit",
    "compare",
    "payouts_frame",
    "__version__",
]

__version__: str = _native.__version__

Data = Union[str, "os.PathLike[str]", Mapping[str, Any]]
AsOf = Union[str, datetime.date]
PolicyPath = Optional[Union[str, "os.PathLike[str]"]]


class InputError(ValueError):
    """Input that cannot be read, or with an amount too large to compute. ``problems``
    lists every problem (up to 100), each a dict naming where it is: ``file``, ``line``,
    ``column`` and ``value`` for a CSV file; ``file`` alone for a folder, file or workbook
    that cannot be read at all (missing, not a folder, none of the files); ``list``,
    ``index``, ``id``, ``field`` and ``value`` for a dict of records; ``at``
    (``laborers[0]``, ``laborers``, ``roster``) for a dict that is not a roster's shape, as
    the HTTP service names it; and ``message``. An amount too large to compute names its
    record (``file`` and ``line``, or ``list``, ``index`` and ``id``), with the
    ``operation`` that did not fit and the ``inputs`` given up to it (each ``term`` and
    ``value``: a field by its column), or nothing for a total."""

    def __init__(self, message: str, problems: List[Dict[str, Any]]):
        super().__init__(message)
        self.problems = problems
        first = problems[0] if problems else {}
        self.file: Optional[str] = first.get("file")
        self.line: Optional[int] = first.get("line")
        self.column: Optional[str] = first.get("column") or first.get("field")
        self.value: Optional[str] = first.get("value")


def _default(o: Any) -> Any:
    if isinstance(o, Decimal):
        return _decimal_text(o)[0]
    if hasattr(o, "isoformat"):
        return o.isoformat()
    raise TypeError(f"{type(o).__name__} is not a value of a record")


# The integers a JSON reader keeps exactly (64 bits); a larger one is read as a float.
_EXACT_INTS = range(-(2**63), 2**64)
# The longest amount written out digit by digit; a Decimal longer than that (1E+999999) is
# refused by the reader as too large, and is sent as a stand-in of this length.
_LONGEST = 400
# A float sent in place of one that JSON cannot hold (infinity): refused as any float is.
_FLOAT_STAND_IN = 1e308


def _decimal_text(d: Decimal) -> "tuple[str, Optional[str]]":
    """A Decimal as an amount's text, exact and in plain positional notation (``5E+2`` is
    ``500``, ``1E-7`` is ``0.0000001``), never through a float; and the text to show for it
    when the sent text is a stand-in (``None`` when it is the Decimal itself). NaN and
    Infinity are sent as they are written, and refused as not amounts."""
    if not d.is_finite():
        return str(d), None
    _, digits, exponent = d.as_tuple()
    length = len(digits) + abs(exponent)
    if length <= _LONGEST:
        return format(d, "f"), None
    stand_in = "1" + "0" * _LONGEST if d.adjusted() >= 0 else "0." + "0" * _LONGEST + "1"
    return stand_in, json.dumps(str(d))


def _cut(text: str) -> str:
    """A value as a message shows it: cut after 200 characters, with ``…``."""
    return text if len(text) <= 200 else text[:200] + "…"


def _is_pandas_missing(o: Any) -> bool:
    """pandas' missing values: ``NaT`` and ``pd.NA``."""
    t = type(o)
    return t.__name__ in ("NaTType", "NAType") and t.__module__.startswith("pandas")


def _records(name: str, v: Any, sent: List[List[Any]]) -> Any:
    """A list of records: a list of dicts, or a pandas DataFrame (one dict per row). Each
    value JSON cannot hold as it was given is noted in ``sent`` (list, index, field and its
    text), so that a message shows it as given."""
    if v is None:
        return None
    if hasattr(v, "to_dict") and hasattr(v, "columns"):
        v = v.to_dict(orient="records")
    if isinstance(v, (str, Mapping)) or not hasattr(v, "__iter__"):
        # Not a list (a text would be read as a list of its characters): sent as it is,
        # for the reader to say so, naming the list.
        return _clean(v)
    out = []
    for index, record in enumerate(v):
        if not isinstance(record, Mapping):
            out.append(_clean(record))
            continue
        fields = {}
        for field, value in record.items():
            value = _clean(value)
            shown: Optional[str] = None
            if isinstance(value, float) and math.isinf(value):
                value, shown = _FLOAT_STAND_IN, repr(value)
            elif isinstance(value, int) and not isinstance(value, bool) and value not in _EXACT_INTS:
                shown = str(value)
            elif isinstance(value, Decimal):
                value, shown = _decimal_text(value)
            if shown is not None:
                sent.append([str(name), index, str(field), _cut(shown)])
            fields[field] = value
        out.append(fields)
    return out


def _clean(o: Any) -> Any:
    # NaN, NaT and pd.NA (pandas' empty cells) are empty cells; numpy scalars are their
    # Python values; a whole float (pandas makes 3 a 3.0 in a column with an empty cell) is
    # an integer. Any other float stays a float, a JSON number: the reader refuses it for an
    # amount (and for a count), with its place. A datetime (a pandas Timestamp) at midnight
    # with no time zone is its date; with a time of day it is sent as it is, and refused as
    # a date with a time is in a CSV file.
    if isinstance(o, Mapping):
        return {k: _clean(v) for k, v in o.items()}
    if o is None or _is_pandas_missing(o):
        return None
    if isinstance(o, float):
        if o != o:
            return None
        if o.is_integer():
            return int(o)
    if hasattr(o, "item") and type(o).__module__ == "numpy":
        return _clean(o.item())
    if isinstance(o, datetime.datetime):
        midnight = not (o.hour or o.minute or o.second or o.microsecond)
        if midnight and not getattr(o, "nanosecond", 0) and o.tzinfo is None:
            return o.date().isoformat()
        return o.isoformat()
    if isinstance(o, datetime.date):
        return o.isoformat()
    return o


def _as_of(as_of: AsOf) -> str:
    """The evaluation date as ``YYYY-MM-DD`` text: a string as it is (read strictly by the
    native reader), a ``datetime.date``, or a datetime (pandas' ``Timestamp``) at midnight
    with no time zone, as a record's date. Any other datetime is sent whole, and refused
    as not a date."""
    if isinstance(as_of, datetime.datetime):
        midnight = as_of.tzinfo is None and as_of.time() == datetime.time()
        return as_of.date().isoformat() if midnight else as_of.isoformat()
    if isinstance(as_of, datetime.date):
        return as_of.isoformat()
    if isinstance(as_of, str):
        return as_of
    raise TypeError(f"as_of: {type(as_of).__name__} is neither a str nor a datetime.date")


def _path(path: PolicyPath) -> Optional[str]:
    """A path given as ``str`` or ``os.PathLike`` (``pathlib.Path``), as text."""
    return None if path is None else os.fsdecode(os.fspath(path))


def _call(
    fn,
    data: Data,
    *args: Any,
    encoding: str = "auto",
    clerk_formats: bool = False,
    raw: bool = False,
    **kwargs: Any,
) -> Any:
    """``fn``'s answer: JSON read with ``Decimal`` numbers, or its text (``raw``)."""
    read = {"encoding": encoding, "clerk_formats": bool(clerk_formats), **kwargs}
    try:
        if isinstance(data, Mapping):
            sent: List[List[Any]] = []
            lists = {k: _records(k, v, sent) for k, v in data.items()}
            text = json.dumps(lists, default=_default, ensure_ascii=False)
            out = fn(None, text, *args, sent=json.dumps(sent), **read)
        else:
            out = fn(os.fspath(data), None, *args, **read)
    except _native.InputError as e:
        message, problems = e.args
        raise InputError(message, json.loads(problems)) from None
    return out if raw else json.loads(out, parse_float=Decimal)


class _Decimals(Dict[str, Decimal]):
    """Each amount's text read once as a ``Decimal`` (immutable, so shared by its rows)."""

    def __missing__(self, text: str) -> Decimal:
        value = self[text] = Decimal(text)
        return value


def _decimals(d: Dict[str, Any], *keys: str) -> Dict[str, Any]:
    for k in keys:
        if isinstance(d.get(k), str):
            d[k] = Decimal(d[k])
    return d


def evaluate(
    data: Data,
    as_of: AsOf = "2020-04-01",
    policy: PolicyPath = None,
    lang: str = "en",
    *,
    encoding: str = "auto",
    clerk_formats: bool = False,
) -> Dict[str, Any]:
    """Every decision with its explanation (``steps``, ``reason_labels``, ``parameters``, ``citation``),
    the totals per program and the receipt; amounts as ``Decimal``."""
    e = _call(
        _native.evaluate,
        data,
        _as_of(as_of),
        lang,
        _path(policy),
        encoding=encoding,
        clerk_formats=clerk_formats,
    )
    for d in e["decisions"]:
        _decimals(d, "amount")
    for t in e["totals"]:
        _decimals(t, "amount")
    return e


def payouts(
    data: Data,
    as_of: AsOf = "2020-04-01",
    policy: PolicyPath = None,
    lang: str = "en",
    *,
    encoding: str = "auto",
    clerk_formats: bool = False,
) -> List[Dict[str, Any]]:
    """One dict per decision, in the order of ``payouts.csv``: ``program``,
    ``subject_id``, ``eligible``, ``amount`` (``Decimal``), ``reasons`` (codes).

    Decided without explanations (``evaluate`` has them): the rows of ``payouts.csv``,
    byte for byte what ``payouts --data`` writes, read back here."""
    read = {"encoding": encoding, "clerk_formats": clerk_formats}
    text = _call(_native.payouts, data, _as_of(as_of), lang, _path(policy), raw=True, **read)
    amounts = _Decimals()
    return [
        {
            "program": program,
            "subject_id": subject_id,
            "eligible": eligible == "true",
            "amount": amounts[amount],
            "reasons": reasons.split(";") if reasons else [],
        }
        for program, subject_id, eligible, amount, reasons in _payouts_rows(text)
    ]


# A row of payouts.csv as the crate writes it (`\n` after each row; only the subject's id
# can need quotes). Read here, not by the `csv` module, whose fields are limited to 128 KiB
# (`csv.field_size_limit`, a process-wide setting): an id may be longer (a CSV cell up to 1
# MiB, a dict's string any length), and a valid roster's decisions must not fail to read.
_PAYOUTS_ROW = re.compile(r'([^,\n]*),("[^"]*(?:""[^"]*)*"|[^,"\r\n]*),([^,\n]*),([^,\n]*),([^,\n]*)\n')


def _payouts_rows(text: str) -> Iterator["tuple[str, str, str, str, str]"]:
    """The rows of ``payouts.csv`` text after its header, every byte of it read."""
    at = text.find("\n") + 1
    while at < len(text):
        m = _PAYOUTS_ROW.match(text, at)
        if m is None:
            raise RuntimeError(f"payouts.csv text not read at offset {at}: {text[at:at + 80]!r}")
        program, subject_id, eligible, amount, reasons = m.groups()
        if subject_id.startswith('"'):
            subject_id = subject_id[1:-1].replace('""', '"')
        yield program, subject_id, eligible, amount, reasons
        at = m.end()


def audit(
    data: Data,
    as_of: AsOf = "2020-04-01",
    policy: PolicyPath = None,
    lang: str = "en",
    *,
    encoding: str = "auto",
    clerk_formats: bool = False,
) -> List[Dict[str, Any]]:
    """The findings of R9 (quotas) and R10 (post compliance, with ``post_months``)."""
    read = {"encoding": encoding, "clerk_formats": clerk_formats}
    return _call(_native.audit, data, _as_of(as_of), lang, _path(policy), **read)["findings"]


def compare(
    data: Data,
    reform: Union[str, "os.PathLike[str]", Mapping[str, Any]],
    as_of: AsOf = "2020-04-01",
    policy: PolicyPath = None,
    *,
    lang: str = "en",
    encoding: str = "auto",
    clerk_formats: bool = False,
) -> Dict[str, Any]:
    """A reform's impact (``reform``: a reform file's path, its TOML text, or the same
    document as a dict): per program, per town and every changed subject.

    A string is a path when it names a file, or looks like one (one line with no ``=``, or
    ending in ``.toml`` or ``.json``): a missing file, a folder or a file that is not UTF-8
    is an error naming it, as for ``policy``. Errors are in ``lang`` (``"en"`` or ``"zh"``)."""
    path = _reform_path(reform)
    text = None if path is not None else json.dumps(reform, default=_default)
    read = {"encoding": encoding, "clerk_formats": clerk_formats}
    c = _call(
        _native.compare,
        data,
        text,
        _as_of(as_of),
        _path(policy),
        reform_path=path,
        lang=lang,
        **read,
    )
    for p in c["programs"] + c["towns"]:
        for side in ("before", "after"):
            _decimals(p[side], "amount")
    return c


def _reform_path(reform: Any) -> Optional[str]:
    """The file ``reform`` names, or ``None`` when it is the document itself."""
    if isinstance(reform, Mapping):
        return None
    if not isinstance(reform, str):
        return os.fsdecode(os.fspath(reform))
    one_line = "\n" not in reform.strip()
    if one_line and ("=" not in reform or os.path.exists(reform)):
        return reform
    if reform.rstrip().lower().endswith((".toml", ".json")):
        return reform
    return None


def payouts_frame(
    data: Data,
    as_of: AsOf = "2020-04-01",
    policy: PolicyPath = None,
    lang: str = "en",
    *,
    encoding: str = "auto",
    clerk_formats: bool = False,
):
    """``payouts`` as a pandas DataFrame (``amount`` a column of ``Decimal``; pandas
    needed)."""
    import pandas as pd

    rows = payouts(data, as_of, policy, lang, encoding=encoding, clerk_formats=clerk_formats)
    return pd.DataFrame(rows)

"""就业扶贫 rules as code (Yang County 2020), from Python.

``payouts(data)`` decides every program for every subject of a roster and returns one dict
per decision, in the order of ``payouts.csv``, with ``amount`` a ``decimal.Decimal``
(never a float). ``data`` is a folder of CSV files (``laborers.csv``, ...), a workbook
(``roster.xlsx``, one sheet per file), or a dict of lists of records (or of pandas
DataFrames) whose keys are the CSV columns; amounts in records are strings or ``Decimal``
(a float is refused, so that no float ever holds money); ``None`` or NaN is an empty cell,
and a whole float (pandas' ``3.0``) an integer.

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

import csv
import io
import json
import os
from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional, Union

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


class InputError(ValueError):
    """Input that cannot be read. ``problems`` lists every problem (up to 100), each a
    dict naming where it is: ``file``, ``line``, ``column`` and ``value`` for a CSV file;
    ``list``, ``index``, ``id``, ``field`` and ``value`` for a dict of records; and
    ``message``."""

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
        return str(o)
    if hasattr(o, "isoformat"):
        return o.isoformat()
    raise TypeError(f"{type(o).__name__} is not a value of a record")


def _records(v: Any) -> Any:
    """A list of records: a list of dicts, or a pandas DataFrame (one dict per row)."""
    if v is None:
        return None
    if hasattr(v, "to_dict") and hasattr(v, "columns"):
        v = v.to_dict(orient="records")
    return [_clean(r) for r in v]


def _clean(o: Any) -> Any:
    # NaN (pandas' empty cell) is an empty cell; numpy scalars are their Python values; a
    # whole float is an integer (pandas makes 3 a 3.0 in a column with an empty cell). Any
    # other float stays a float, a JSON number: the reader refuses it for an amount (and
    # for a count), with its place.
    if isinstance(o, Mapping):
        return {k: _clean(v) for k, v in o.items()}
    if isinstance(o, float):
        if o != o:
            return None
        if o.is_integer():
            return int(o)
    if hasattr(o, "item") and type(o).__module__ == "numpy":
        return _clean(o.item())
    return o


def _call(
    fn,
    data: Data,
    *args: Any,
    encoding: str = "auto",
    clerk_formats: bool = False,
    raw: bool = False,
) -> Any:
    """``fn``'s answer: JSON read with ``Decimal`` numbers, or its text (``raw``)."""
    read = {"encoding": encoding, "clerk_formats": bool(clerk_formats)}
    try:
        if isinstance(data, Mapping):
            lists = {k: _records(v) for k, v in data.items()}
            text = json.dumps(lists, default=_default, ensure_ascii=False)
            out = fn(None, text, *args, **read)
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
    as_of: str = "2020-04-01",
    policy: Optional[str] = None,
    lang: str = "en",
    *,
    encoding: str = "auto",
    clerk_formats: bool = False,
) -> Dict[str, Any]:
    """Every decision with its explanation (``steps``, ``reason_labels``, ``citation``),
    the totals per program and the receipt; amounts as ``Decimal``."""
    e = _call(
        _native.evaluate, data, as_of, lang, policy, encoding=encoding, clerk_formats=clerk_formats
    )
    for d in e["decisions"]:
        _decimals(d, "amount")
    for t in e["totals"]:
        _decimals(t, "amount")
    return e


def payouts(
    data: Data,
    as_of: str = "2020-04-01",
    policy: Optional[str] = None,
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
    text = _call(_native.payouts, data, as_of, lang, policy, raw=True, **read)
    rows = csv.reader(io.StringIO(text, newline=""))
    next(rows)
    amounts = _Decimals()
    return [
        {
            "program": program,
            "subject_id": subject_id,
            "eligible": eligible == "true",
            "amount": amounts[amount],
            "reasons": reasons.split(";") if reasons else [],
        }
        for program, subject_id, eligible, amount, reasons in rows
    ]


def audit(
    data: Data,
    as_of: str = "2020-04-01",
    policy: Optional[str] = None,
    lang: str = "en",
    *,
    encoding: str = "auto",
    clerk_formats: bool = False,
) -> List[Dict[str, Any]]:
    """The findings of R9 (quotas) and R10 (post compliance, with ``post_months``)."""
    read = {"encoding": encoding, "clerk_formats": clerk_formats}
    return _call(_native.audit, data, as_of, lang, policy, **read)["findings"]


def compare(
    data: Data,
    reform: Union[str, "os.PathLike[str]", Mapping[str, Any]],
    as_of: str = "2020-04-01",
    policy: Optional[str] = None,
    *,
    encoding: str = "auto",
    clerk_formats: bool = False,
) -> Dict[str, Any]:
    """A reform's impact (``reform``: a reform file's path, its TOML text, or the same
    document as a dict): per program, per town and every changed subject."""
    if not isinstance(reform, Mapping) and os.path.exists(reform):
        with open(reform, encoding="utf-8") as f:
            reform = f.read()
    text = json.dumps(reform if isinstance(reform, Mapping) else os.fspath(reform), default=_default)
    read = {"encoding": encoding, "clerk_formats": clerk_formats}
    c = _call(_native.compare, data, text, as_of, policy, **read)
    for p in c["programs"] + c["towns"]:
        for side in ("before", "after"):
            _decimals(p[side], "amount")
    return c


def payouts_frame(
    data: Data,
    as_of: str = "2020-04-01",
    policy: Optional[str] = None,
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

"""Parse one JSON Lines record safely: every way a line can fail is a ``BadRecord`` reason.

Beyond invalid JSON: nesting deeper than ``MAX_DEPTH`` (or past Python's recursion limit),
numbers with more digits than Python converts, ``NaN``/``Infinity`` (not JSON), and strings
SQLite cannot store (a lone surrogate such as ``"\\ud800"``, named by its field).
"""
from __future__ import annotations

import json
import math
import re
import sys

from annotator.corpus.fields import depth, find_bad_string

MAX_DEPTH = 64  # lists and objects inside one record; real articles need a handful
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class BadRecord(ValueError):
    """This record cannot be imported; the message says why."""


def _constant(name: str):
    raise BadRecord(f"{name} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadRecord(f"the number {text[:20]} is too large")
    return value


_DECODER = json.JSONDecoder(parse_constant=_constant, parse_float=_float)


def parse_record(line: str, *, strings: bool = True):
    """The JSON value of ``line``; raises ``BadRecord`` with a reason a person can act on.

    ``strings`` also refuses a string SQLite cannot store (the caller may check each field).
    """
    try:
        data = _DECODER.decode(line)
    except BadRecord:
        raise
    except json.JSONDecodeError as exc:
        raise BadRecord(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise BadRecord(f"nested too deeply (lists or objects more than {MAX_DEPTH} "
                        "levels deep)") from None
    except ValueError as exc:  # e.g. the int max str digits limit
        if "digits" in str(exc):
            raise BadRecord(f"a number with more than {sys.get_int_max_str_digits()} "
                            "digits") from None
        raise BadRecord(f"cannot be read as JSON ({exc})") from None
    if (line.count("[") + line.count("{") > MAX_DEPTH
            and depth(data, MAX_DEPTH) > MAX_DEPTH):
        raise BadRecord(f"nested too deeply (lists or objects more than {MAX_DEPTH} "
                        "levels deep)")
    if strings and "\\u" in line and _SURROGATE_ESCAPE.search(line):
        why = find_bad_string(data)
        if why:
            raise BadRecord(why)
    return data

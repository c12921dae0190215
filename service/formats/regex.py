"""Regex pieces of the compact grammars, in the dialect common to Python's ``re`` and xgrammar.

vLLM compiles the per-request regex with xgrammar, the tests match with ``re``: only
constructs both read alike are used (no identity escapes of spaces, bounded repeats, plain classes).
Integer args are range-checked by the grammar itself, digit by digit, so the model cannot write an
out-of-range value that grounding would then refuse.
"""

from __future__ import annotations

_REGEX_SPECIAL = set("\\.^$|?*+()[]{}/-")


def regex_escape(text: str) -> str:
    """Escape for the regex dialect common to Python's ``re`` and xgrammar (no identity escapes of spaces)."""
    return "".join("\\" + ch if ch in _REGEX_SPECIAL else ch for ch in text)


def _fill_nines(n: int, k: int) -> int:
    s = str(n)
    return int(s[:-k] + "9" * k) if k < len(s) else int("9" * k)


def _split_range(lo: int, hi: int) -> list[tuple[int, int]]:
    """[lo, hi] (both >= 0) split into ranges whose bounds have equal length and a common prefix."""
    stops = {hi}
    nines = 1
    stop = _fill_nines(lo, nines)
    while lo <= stop < hi:
        stops.add(stop)
        nines += 1
        stop = _fill_nines(lo, nines)
    zeros = 1
    stop = (hi + 1) - (hi + 1) % 10**zeros - 1
    while lo < stop <= hi:
        stops.add(stop)
        zeros += 1
        stop = (hi + 1) - (hi + 1) % 10**zeros - 1
    out, start = [], lo
    for stop in sorted(stops):
        out.append((start, stop))
        start = stop + 1
    return out


def _same_length_pattern(start: int, stop: int) -> str:
    pattern, free = "", 0
    for a, b in zip(str(start), str(stop), strict=True):
        if a == b:
            pattern += a
        elif a == "0" and b == "9":
            free += 1
        else:
            pattern += f"[{a}-{b}]"
    if free:
        pattern += "[0-9]" if free == 1 else f"[0-9]{{{free}}}"
    return pattern


def _non_negative_range(lo: int, hi: int) -> str:
    return "|".join(_same_length_pattern(a, b) for a, b in _split_range(lo, hi))


def int_range_regex(lo: int, hi: int) -> str:
    """A regex matching exactly the decimal integers in [lo, hi] (no leading zeros, no ``-0``)."""
    if lo > hi:
        raise ValueError(f"empty range [{lo}, {hi}]")
    parts = []
    if lo < 0:
        parts.append(f"-(?:{_non_negative_range(max(1, -hi), -lo)})")
    if hi >= 0:
        parts.append(_non_negative_range(max(0, lo), hi))
    return "|".join(parts)

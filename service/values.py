"""Control values in the prompt: what the screen shows, so "already done" is decidable and a request
can point at content. Optional: a request without a value renders exactly as before (nothing here runs).

Rendering (docs/design.md section 10):

- a value ends its control's line. A state word on a control that does not hold text is a bracketed
  state, ``12 Bold [on]`` (``on``/``true``/``checked`` -> ``[on]``, ``off``/``false``/``unchecked``/
  ``unselected`` -> ``[off]``, ``indeterminate``/``mixed`` -> ``[mixed]``, ``selected`` -> ``[selected]``,
  any case); anything else is JSON-quoted, ``13 Font = "Calibri"``, flattened like names (one line,
  no control characters, no special token: ``service.text.value_text``) and cut to MAX_VALUE_CHARS;
- a Document control's value (the document text the client sends, normally the visible part) is
  not on its line but in a block after the control list, one paragraph a line behind ``> ``, so that
  no paragraph can pass for a prompt section::

      Text of 57:
      > Quarterly report
      > Sales rose 4% in the third quarter…
      (12 paragraphs omitted)

Budget: the value suffixes and the paragraph lines fit ``LAM_VALUE_TOKEN_BUDGET`` tokens, counted with
the served model's tokenizer (no tokenizer call when the bytes fit). Over it, the document text is
cut first, from its end: paragraphs farthest from the top of what the client sent go first (the
layer does not know the cursor; a client that does should send the text around it), and the first
paragraph that does not fit is cut to the prefix that does. Then the other values, longest first, to
SHORT_VALUE_CHARS; never shorter, so a tiny budget can be exceeded by that floor. What was left out
is said in ``usage.value_chars_cut`` (characters, after flattening) and ``usage.document_paragraphs_cut``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from service.protocol import MAX_VALUE, Control
from service.text import control_type, value_text
from service.tokens import TokenCounter

# A Word Home screen (114 controls, 5 values) with a one-page document (500 words) costs 739 tokens
# of it with the served tokenizer (``python -m bench.value_budget``); 1024 holds ~700 words, and the
# prompt with both budgets full stays under 3,000 of the model's 4,096 (docs/design.md section 10).
DEFAULT_VALUE_TOKEN_BUDGET = 1024
MAX_VALUE_CHARS = 120  # a value on its control's line (names: 80)
SHORT_VALUE_CHARS = 16  # what a value keeps when the budget cuts it
MIN_PARTIAL_TOKENS = 8  # less room left than this: the boundary paragraph is dropped, not cut
DOCUMENT = "Document"
TEXT_TYPES = frozenset({"ComboBox", "DataItem", "Document", "Edit", "Spinner", "Text"})  # "on" there is text
STATES = {
    "on": "on", "true": "on", "checked": "on",
    "off": "off", "false": "off", "unchecked": "off", "unselected": "off",
    "indeterminate": "mixed", "mixed": "mixed",
    "selected": "selected",
}  # fmt: skip
_PARAGRAPH_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
ELLIPSIS = "…"


@dataclass(frozen=True)
class Values:
    """The rendered values of one observation and what the budget left out."""

    suffixes: dict[str, str]  # label -> the end of its control line
    blocks: list[str]  # lines after the control list (Document text)
    chars_cut: int
    paragraphs_cut: int


@dataclass
class _Text:
    """One text value (a control's, or a paragraph) and the part of it shown."""

    full: str
    shown: str = ""
    cut: bool = False

    def show(self, n: int) -> None:
        """Keep ``n`` characters, an ellipsis standing for the rest."""
        self.cut = n < len(self.full)
        self.shown = self.full[: n - 1] + ELLIPSIS if self.cut else self.full

    @property
    def chars_cut(self) -> int:
        return len(self.full) - (len(self.shown) - 1 if self.cut else len(self.shown))


@dataclass
class _Document:
    label: str
    paragraphs: list[_Text]
    kept: int = 0  # paragraphs shown (the last one maybe cut)


@dataclass
class _Plan:
    suffixes: dict[str, tuple[str | None, _Text]] = field(default_factory=dict)  # label -> (state, text)
    documents: list[_Document] = field(default_factory=list)


def _suffix(state: str | None, text: _Text) -> str:
    return f" [{state}]" if state is not None else " = " + json.dumps(text.shown, ensure_ascii=False)


def _line(paragraph: str) -> str:
    return "> " + paragraph


def _cost_line(paragraph: str) -> str:
    """A paragraph line as it is counted: with the newline before it (one token of its own)."""
    return "\n> " + paragraph


def paragraphs(value: str) -> list[str]:
    """A Document's text as flattened paragraphs; empty ones dropped (they carry no text)."""
    out = (value_text(p, MAX_VALUE) for p in _PARAGRAPH_BREAK.split(value))
    return [p for p in out if p]


def _plan(controls: Sequence[Control]) -> _Plan:
    plan = _Plan()
    for control in controls:
        if control.value is None:
            continue
        kind = control_type(control.control_type)
        if kind == DOCUMENT:
            paras = [_Text(p, p) for p in paragraphs(control.value)]
            plan.documents.append(_Document(control.label, paras, len(paras)))
            continue
        state = None if kind in TEXT_TYPES else STATES.get(control.value.strip().lower())
        text = _Text(value_text(control.value, MAX_VALUE))
        text.show(MAX_VALUE_CHARS)
        plan.suffixes[control.label] = (state, text)
    return plan


def _longest_prefix(paragraph: _Text, room: int, counter: TokenCounter) -> int:
    """Most characters of ``paragraph`` whose cut line fits in ``room`` tokens (0: none does)."""
    lo, hi = 0, len(paragraph.full) - 1  # hi: a cut always drops at least one character
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if counter.count_many([_cost_line(paragraph.full[:mid] + ELLIPSIS)])[0] <= room:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1 if lo else 0  # show(n) keeps n - 1 characters and the ellipsis


def _fit(plan: _Plan, budget: int, counter: TokenCounter) -> None:
    """Cut the plan to ``budget`` tokens: Document text from its end first, then values longest first."""
    items = list(plan.suffixes.values())
    paras = [p for doc in plan.documents for p in doc.paragraphs]
    lines = [_suffix(s, t) for s, t in items] + [_cost_line(p.shown) for p in paras]
    if sum(len(line.encode()) for line in lines) <= budget:  # a token covers at least one byte
        return
    counts = counter.count_many(lines)
    value_cost = sum(counts[: len(items)])
    room, offset, stopped = budget - value_cost, len(items), False
    for doc in plan.documents:  # one text in screen order: kept from the top until a paragraph does not fit
        doc_counts = counts[offset : offset + len(doc.paragraphs)]
        offset += len(doc.paragraphs)
        doc.kept = 0
        for para, count in zip(doc.paragraphs, doc_counts, strict=True):
            if stopped:
                break
            if count <= room:
                room -= count
                doc.kept += 1
                continue
            n = _longest_prefix(para, room, counter) if room >= MIN_PARTIAL_TOKENS else 0
            if n:
                para.show(n)
                doc.kept += 1
            stopped = True
    total = value_cost
    for i in sorted(range(len(items)), key=lambda i: -len(items[i][1].shown)):  # stable: screen order on ties
        if total <= budget:
            break
        state, text = items[i]
        if state is not None or len(text.shown) <= SHORT_VALUE_CHARS:
            continue
        text.show(SHORT_VALUE_CHARS)
        total += counter.count_many([_suffix(state, text)])[0] - counts[i]


def render_values(controls: Sequence[Control], budget: int, counter: TokenCounter) -> Values | None:
    """The values of these controls as the prompt shows them; None when no control has one."""
    for control in controls:  # hot for requests without values: a plain loop, left at the first value
        if control.value is not None:
            break
    else:
        return None
    plan = _plan(controls)
    _fit(plan, budget, counter)
    blocks: list[str] = []
    paragraphs_cut = 0
    chars_cut = sum(text.chars_cut for _, text in plan.suffixes.values())
    for doc in plan.documents:
        if not doc.paragraphs:
            blocks.append(f"Text of {doc.label}: empty")
            continue
        blocks.append(f"Text of {doc.label}:")
        blocks.extend(_line(p.shown) for p in doc.paragraphs[: doc.kept])
        omitted = doc.paragraphs[doc.kept :]
        if omitted:
            blocks.append(f"({len(omitted)} paragraphs omitted)")
        paragraphs_cut += len(omitted)
        chars_cut += sum(p.chars_cut for p in doc.paragraphs[: doc.kept]) + sum(len(p.full) for p in omitted)
    suffixes = {label: _suffix(state, text) for label, (state, text) in plan.suffixes.items()}
    return Values(suffixes, blocks, chars_cut, paragraphs_cut)

"""How users ask: clause templates per op, and connectors joining clauses into one request.

Every template list is split: ``train`` wordings appear in training data (and validation),
``test`` wordings only in the test split, so test requests are phrased in ways never trained on.
"""

from __future__ import annotations

import random
from typing import Any

from lam.tasks.pools import pool_split

Templates = dict[str, tuple[str, ...]]

CLAUSES: dict[str, Templates] = {
    "char_format:bold": {
        "train": ("make '{phrase}' bold", "bold the text '{phrase}'", 'apply bold to "{phrase}"'),
        "test": ("put the words “{phrase}” in boldface", "give '{phrase}' a heavier, bold weight"),
    },
    "char_format:italic": {
        "train": ("italicize '{phrase}'", "make the text '{phrase}' italic", 'set "{phrase}" in italics'),
        "test": ("slant “{phrase}” using italic type", "render '{phrase}' in an italic face"),
    },
    "char_format:underline": {
        "train": ("underline '{phrase}'", "add an underline to the text '{phrase}'", 'underline "{phrase}"'),
        "test": ("draw a line beneath “{phrase}”", "have '{phrase}' underscored"),
    },
    "char_format:strike": {
        "train": ("strike through '{phrase}'", "apply strikethrough to the text '{phrase}'"),
        "test": ("cross out “{phrase}” with a line through it", "mark '{phrase}' as struck out"),
    },
    "shortcut_format": {
        "train": (
            "use the keyboard shortcut to make '{phrase}' {attr_adj}",
            "press {shortcut} to make the text '{phrase}' {attr_adj}",
        ),
        "test": ("with a key combination, turn “{phrase}” {attr_adj}", "hit {shortcut} so '{phrase}' is {attr_adj}"),
    },
    "highlight": {
        "train": ("highlight '{phrase}' in {color}", "apply a {color} highlight to the text '{phrase}'"),
        "test": ("mark “{phrase}” with the {color} highlighter", "give '{phrase}' a {color} background highlight"),
    },
    "font_color": {
        "train": ("change the font color of '{phrase}' to {color}", "make the text '{phrase}' {color}"),
        "test": ("color the letters of “{phrase}” {color}", "I need '{phrase}' written in {color} ink"),
    },
    "font": {
        "train": ("set the font of '{phrase}' to {font}", "change '{phrase}' to the {font} font"),
        "test": ("switch “{phrase}” over to {font}", "use the {font} typeface for '{phrase}'"),
    },
    "font_size": {
        "train": ("set the font size of '{phrase}' to {size}", "make the text '{phrase}' {size} pt"),
        "test": ("resize “{phrase}” to {size} points", "scale '{phrase}' to a {size}-point size"),
    },
    "align": {
        "train": (
            "{align_verb} the paragraph that begins with '{lead}'",
            "make the paragraph starting with '{lead}' {align_adj}",
        ),
        "test": (
            "the paragraph opening with “{lead}” should be {align_adj}",
            "{align_verb} the block of text that starts “{lead}”",
        ),
    },
    "list:bullet": {
        "train": (
            "turn the paragraph that begins with '{lead}' into a bulleted list",
            "add bullets to the paragraph starting with '{lead}'",
        ),
        "test": (
            "make the paragraph opening with “{lead}” a bullet point",
            "put a bullet in front of the paragraph “{lead}…”",
        ),
    },
    "list:number": {
        "train": (
            "turn the paragraph that begins with '{lead}' into a numbered list",
            "apply numbering to the paragraph starting with '{lead}'",
        ),
        "test": ("number the paragraph opening with “{lead}”", "make the paragraph “{lead}…” an enumerated item"),
    },
    "style": {
        "train": (
            "apply the {style} style to the paragraph that begins with '{lead}'",
            "format the paragraph starting with '{lead}' as {style}",
        ),
        "test": ("give the paragraph opening with “{lead}” the {style} look", "restyle “{lead}…” using {style}"),
    },
    "spacing": {
        "train": (
            "set the spacing {where} the paragraph that begins with '{lead}' to {points} pt",
            "add {points} pt of space {where} the paragraph starting with '{lead}'",
        ),
        "test": (
            "leave a {points}-point gap {where} the paragraph opening with “{lead}”",
            "put {points} points of spacing {where} “{lead}…”",
        ),
    },
    "insert_table:end": {
        "train": (
            "insert a table with {rows} rows and {columns} columns at the end of the document",
            "add a {rows}x{columns} table at the end",
        ),
        "test": (
            "append a {rows}-by-{columns} grid table after the last paragraph",
            "finish the document with a table of {rows} rows by {columns} columns",
        ),
    },
    "insert_table:after": {
        "train": (
            "insert a {rows}x{columns} table after the paragraph containing '{after}'",
            "add a table with {rows} rows and {columns} columns below the text '{after}'",
        ),
        "test": (
            "place a {rows}-by-{columns} table right under the paragraph with “{after}”",
            "drop a table ({rows} rows, {columns} columns) beneath “{after}”",
        ),
    },
    "table_style": {
        "train": ("apply the {style} style to the {nth} table", "format table {number} with the {style} table style"),
        "test": ("give the {nth} table a {style} look", "restyle table number {number} as {style}"),
    },
    "page_border": {
        "train": ("add a {value_lower} page border", "put a {value_lower} border around the page"),
        "test": ("frame every page with a {value_lower} border", "surround the pages with a {value_lower} border line"),
    },
    "page_color": {
        "train": ("change the page color to {value}", "set the page background to {value}"),
        "test": ("paint the page background {value}", "use {value} as the color of the pages"),
    },
    "watermark": {
        "train": ("add a {value} watermark", "insert the {value} watermark"),
        "test": ("stamp the pages with a “{value}” watermark", "I'd like a {value} watermark behind the text"),
    },
    "orientation": {
        "train": ("change the page orientation to {value_lower}", "switch the document to {value_lower} orientation"),
        "test": ("lay the pages out in {value_lower} mode", "rotate the pages to {value_lower}"),
    },
    "margins": {
        "train": ("set the margins to {value}", "use {value} margins"),
        "test": ("apply the {value} margin preset", "change the page margins to the {value} option"),
    },
    "columns": {
        "train": ("format the page in {value_lower} columns", "set the columns layout to {value}"),
        "test": (
            "split the text layout using the {value} columns preset",
            "arrange the page with the {value} column option",
        ),
    },
    "delete_text": {
        "train": ("delete the text '{phrase}'", "remove '{phrase}' from the document"),
        "test": ("erase the words “{phrase}”", "get rid of '{phrase}' in the text"),
    },
    "delete_table": {
        "train": ("delete the {nth} table", "remove table {number} from the document"),
        "test": ("get rid of the {nth} table", "erase table number {number}"),
    },
    "replace_all": {
        "train": ("replace every '{find}' with '{replace}'", "change all occurrences of '{find}' to '{replace}'"),
        "test": (
            "swap each “{find}” for “{replace}” throughout",
            "wherever '{find}' appears, write '{replace}' instead",
        ),
    },
}

# Same-target combinations read better as one clause than as joined clauses.
FAMILY_TEMPLATES: dict[str, Templates] = {
    "bold_italic": {
        "train": ("make '{phrase}' bold and italic", "format the text '{phrase}' as bold italic"),
        "test": ("I want “{phrase}” both bolded and italicized",),
    },
    "font_and_size": {
        "train": ("set '{phrase}' to {font} {size} pt", "change the text '{phrase}' to {font} at size {size}"),
        "test": ("typeset “{phrase}” in {font}, {size} points",),
    },
    "emphasis_triple": {
        "train": ("make '{phrase}' bold and underlined and highlight it in {color}",),
        "test": ("emphasize “{phrase}”: bold, underline, and a {color} highlight",),
    },
}

CONNECTORS: dict[int, Templates] = {
    2: {
        "train": ("{0} and {1}", "{0}, then {1}", "first {0}, then {1}"),
        "test": ("{0}; after that, {1}", "{0}, and also {1}"),
    },
    3: {"train": ("{0}, {1} and {2}", "{0}, then {1}, then {2}"), "test": ("{0}; {1}; finally {2}",)},
}

ATTR_ADJ = {"bold": "bold", "italic": "italic", "underline": "underlined", "strike": "struck through"}
ALIGN_VERB = {"center": "center", "right": "right-align", "justify": "justify", "left": "left-align"}
ALIGN_ADJ = {"center": "centered", "right": "right-aligned", "justify": "justified", "left": "left-aligned"}
ORDINALS = ("first", "second", "third", "fourth", "fifth")


def clause_key(op: dict[str, Any]) -> str:
    kind = op["op"]
    if kind == "char_format":
        return f"char_format:{op['attr']}"
    if kind == "list":
        return f"list:{op['kind']}"
    if kind == "insert_table":
        return "insert_table:after" if op.get("after") else "insert_table:end"
    return str(kind)


def slots(op: dict[str, Any]) -> dict[str, Any]:
    out = dict(op)
    for key in ("size", "points"):
        if key in out:
            out[key] = int(out[key]) if float(out[key]).is_integer() else out[key]
    if "attr" in op:
        out["attr_adj"] = ATTR_ADJ[op["attr"]]
        out["shortcut"] = {"bold": "Ctrl+B", "italic": "Ctrl+I", "underline": "Ctrl+U"}.get(op["attr"], "")
    if "align" in op:
        out["align_verb"], out["align_adj"] = ALIGN_VERB[op["align"]], ALIGN_ADJ[op["align"]]
    if "number" in op:
        out["nth"] = ORDINALS[op["number"] - 1]
    if "value" in op:
        value = str(op["value"])
        out["value_lower"] = value if any(ch.isdigit() for ch in value) else value.lower()
    return out


def all_templates(split: str) -> set[str]:
    """Every template string of a split (the disjointness test reads this)."""
    side = pool_split(split)
    groups = [*CLAUSES.values(), *FAMILY_TEMPLATES.values(), *CONNECTORS.values()]
    return {t for g in groups for t in g[side]}


def compose(
    family: str,
    ops: list[dict[str, Any]],
    rng: random.Random,
    clauses: dict[str, tuple[str, ...]],
    families: dict[str, tuple[str, ...]],
    connectors: dict[int, tuple[str, ...]],
) -> str:
    """One request from the given template banks (key -> wordings); ``render`` passes one split's side."""
    if family in families:
        merged: dict[str, Any] = {}
        for op in ops:
            merged.update(slots(op))
        text = rng.choice(families[family]).format(**merged)
    else:
        parts = [rng.choice(clauses[clause_key(op)]).format(**slots(op)) for op in ops]
        text = parts[0] if len(parts) == 1 else rng.choice(connectors[len(parts)]).format(*parts)
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def side_of(bank: dict[Any, Templates], split: str) -> dict[Any, tuple[str, ...]]:
    side = pool_split(split)
    return {key: templates[side] for key, templates in bank.items()}


def render(family: str, ops: list[dict[str, Any]], rng: random.Random, split: str) -> str:
    return compose(
        family, ops, rng, side_of(CLAUSES, split), side_of(FAMILY_TEMPLATES, split), side_of(CONNECTORS, split)
    )

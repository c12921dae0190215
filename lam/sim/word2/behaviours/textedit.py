"""Text editing and character effects: the Underline gallery shows the selection's line style as its
selected cell, so a model can see that a requested underline style is already there."""

from __future__ import annotations

from lam.sim.word2 import window
from lam.sim.word2.effects import lookup
from lam.sim.word_ui.catalog import UiControl

UNDERLINE_MENU = "menu:Underline"


def underline_cell(win: window.WordWindow, c: UiControl, place: str) -> str | None:
    """ "selected" on the Underline gallery cell whose line every selected character has."""
    if place != UNDERLINE_MENU or c.control_type != "ListItem":
        return None
    effect = lookup(place, c.control_type, c.name)
    if effect is None or effect.id != "format":
        return None
    style = str(dict(effect.arg).get("underline_style", ""))
    formats = [f for s in win.text_spans() for f in win.doc.char_formats(s)]
    on = bool(formats) and all(f.underline and f.underline_style == style for f in formats)
    return "selected" if on else None


window.VALUE_READERS.append(underline_cell)

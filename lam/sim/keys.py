"""pywinauto's ``send_keys`` syntax, parsed into key presses (``^b`` is Ctrl+B, ``{ENTER}``, ``+(ab)``).

UFO's ``keyboard_input`` passes this syntax straight to pywinauto, so the simulator accepts
the same strings: a model trained here types what it would type on the real app.
"""

from __future__ import annotations

from dataclasses import dataclass

_MODIFIERS = {"^": "ctrl", "+": "shift", "%": "alt"}
_ALIASES = {"BS": "BACKSPACE", "BKSP": "BACKSPACE", "DEL": "DELETE", "ESCAPE": "ESC", "RETURN": "ENTER"}


class KeySyntaxError(ValueError):
    """The keys string is not valid pywinauto syntax (e.g. an unclosed ``{``)."""


@dataclass(frozen=True)
class KeyPress:
    key: str  # one character, or an upper-case name such as "ENTER"
    mods: frozenset[str] = frozenset()

    @property
    def is_char(self) -> bool:
        return len(self.key) == 1


def parse_keys(keys: str) -> list[KeyPress]:
    presses: list[KeyPress] = []
    mods: set[str] = set()
    i = 0
    while i < len(keys):
        ch = keys[i]
        if ch in _MODIFIERS:
            mods.add(_MODIFIERS[ch])
            i += 1
            continue
        if ch == "(":
            end = keys.find(")", i + 1)
            if end < 0:
                raise KeySyntaxError(f"unclosed '(' in {keys!r}")
            for inner in parse_keys(keys[i + 1 : end]):
                presses.append(KeyPress(inner.key, frozenset(mods | inner.mods)))
            mods = set()
            i = end + 1
            continue
        if ch == "{":
            end = keys.find("}", i + 2 if keys[i + 1 : i + 2] == "}" else i + 1)
            if end < 0:
                raise KeySyntaxError(f"unclosed '{{' in {keys!r}")
            body = keys[i + 1 : end]
            name, _, count = body.partition(" ")
            # {{} {}} {^} {a 3}: one literal character; otherwise a key name
            key = name if len(name) == 1 else _ALIASES.get(name.upper(), name.upper())
            repeat = int(count) if count.strip().isdigit() else 1
            presses.extend(KeyPress(key, frozenset(mods)) for _ in range(repeat))
            mods = set()
            i = end + 1
            continue
        if ch == "~":
            presses.append(KeyPress("ENTER", frozenset(mods)))
        else:
            presses.append(KeyPress(ch, frozenset(mods)))
        mods = set()
        i += 1
    if mods:
        raise KeySyntaxError(f"modifier with no key in {keys!r}")
    return presses

"""Review and View behaviour of the simulated Word window: tracked changes, comments, spelling,
proofing language, the markup display, and the View settings (zoom, view mode, show/hide boxes).

The document model holds them as Word's file does:

* settings ``review.<name>`` / ``view.<name>`` (:data:`SETTING_DEFAULTS`; on/off settings are
  ``"on"`` or absent). ``view.zoom`` is a percentage (``"150%"``) or a fit Word recomputes as the
  window changes (``"Page Width"``, ``"Text Width"``, ``"Whole Page"``, ``"Many Pages"``).
* tracked revisions: the paragraph text holds every revision's text, inserted and deleted alike
  (as the file keeps deleted text, struck through, until a change is accepted); an annotation
  ``{"kind": "revision", "type": "insert"|"delete", "text": ...}`` marks the text, which occurs
  once in the document. Accepting removes the deleted texts, rejecting the inserted ones; either
  way the annotation goes.
* comments: ``{"kind": "comment", "anchor": <commented text, unique>, "text": ..., "replies":
  [...], "resolved": "no"|"yes"}``. Each shows as a card in the document area (:func:`_comment_cards`):
  a Group named by its text whose value says what it is anchored on, whether it is resolved and its
  replies; clicking the card selects the commented text, which makes it the active comment (as a
  cursor inside commented text does in Word), whose card then shows its Reply box, Post reply and
  More thread actions.
* misspellings: ``{"kind": "misspelling", "text": <the word as written>, "suggestion": ...}``
  (the proofing marks Word keeps for a word the speller flagged); the Spelling and Grammar dialog
  walks them in document order.
* proofing language: the paragraph property ``language`` (default English (United States)).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from lam.sim.document import Document, Span
from lam.sim.editing import NO_SELECTION, SimError, TextSel, parse_number
from lam.sim.word2 import dialogs
from lam.sim.word2.effects import register_effect
from lam.sim.word2.window import SCREEN_EXTRAS, TEXT_SETTERS, VALUE_READERS, Shown
from lam.sim.word_ui.catalog import UiControl

if TYPE_CHECKING:
    from lam.sim.word2.window import WordWindow

# Word's defaults of the settings that are not on/off (an on/off setting is off by default).
SETTING_DEFAULTS: dict[str, str] = {
    "review.markup": "Simple Markup",
    "view.zoom": "100%",
    "view.mode": "Print Layout",
    "view.page_movement": "Vertical",
}
DEFAULT_LANGUAGE = "English (United States)"
COMMENTS_PLACE = "document:Comments"
COMMENTS_PANE = "Comments"
ZOOM_RADIOS = {
    "200%": "200%",
    "100%": "100%",
    "75%": "75%",
    "Page width": "Page Width",
    "Text width": "Text Width",
    "Whole page": "Whole Page",
    "Many pages": "Many Pages",
}
VIEW_MODES = ("Read Mode", "Print Layout", "Web Layout", "Outline", "Draft")
PAGE_MOVEMENTS = ("Vertical", "Side to Side")
SHOW_BOXES = {"Ruler": "view.ruler", "Gridlines": "view.gridlines", "Navigation Pane": "view.navigation_pane"}
SPELLING = "Spelling and Grammar"
_WORD = re.compile(r"[A-Za-z']+")


# ---- settings ------------------------------------------------------------------------------------
def setting(doc: Document, key: str) -> str:
    return doc.setting(key, SETTING_DEFAULTS.get(key, ""))


def put_setting(doc: Document, key: str, value: str) -> None:
    doc.set_setting(key, value, SETTING_DEFAULTS.get(key, ""))


def _on_off(flag: bool) -> str:
    return "on" if flag else "off"


@register_effect("review_set")
def _set(win: WordWindow, changes: Any) -> str:
    """Settings by name to a value (``{view.mode: Draft}``), stored against Word's defaults."""
    for key, value in dict(changes).items():
        put_setting(win.doc, str(key), str(value))
    return "ok"


@register_effect("review_zoom_step")
def _zoom_step(win: WordWindow, step: Any) -> str:
    """Zoom In / Zoom Out on the status bar: 10 % a click, from the shown percentage (a fit counts
    as 100 %), within Word's 10 % to 500 %."""
    current = parse_number(setting(win.doc, "view.zoom"), unit="%") or 100.0
    put_setting(win.doc, "view.zoom", f"{int(min(500, max(10, current + int(step))))}%")
    return "ok"


# ---- revisions -----------------------------------------------------------------------------------
def revisions(doc: Document) -> list[dict[str, Any]]:
    return [a for a in doc.annotations if a.get("kind") == "revision"]


def settle_revisions(doc: Document, accept: bool, which: list[dict[str, Any]] | None = None) -> None:
    """Accept (or reject) the revisions ``which`` (default all): the deleted (inserted) text goes,
    the other kind's text stays as plain text, and their marks go."""
    chosen = revisions(doc) if which is None else which
    for rev in chosen:
        drop = (rev.get("type") == "delete") == accept
        span = doc.find(str(rev.get("text", "")))
        if drop and span is not None:
            doc.delete_span(span)
        doc.annotations.remove(rev)


def _revisions_at(win: WordWindow) -> list[dict[str, Any]]:
    """The revisions the selection touches, else the first one at or after the cursor."""
    spans = win.text_spans()
    found: list[tuple[Span, dict[str, Any]]] = []
    for rev in revisions(win.doc):
        span = win.doc.find(str(rev.get("text", "")))
        if span is not None:
            found.append((span, rev))
    found.sort(key=lambda f: f[0])
    if spans:
        return [r for (b, s, e), r in found if any(b == sb and s < se and ss < e for sb, ss, se in spans)]
    block, offset = win.cursor
    later = [r for (b, s, e), r in found if (b, e) >= (block, offset)]
    return later[:1]


@register_effect("review_settle")
def _settle(win: WordWindow, how: Any) -> str:
    """Accept/Reject menus: ``{accept: bool, scope: all|this|all_stop}``."""
    spec = dict(how)
    accept = bool(spec["accept"])
    scope = str(spec["scope"])
    if scope == "this":
        chosen = _revisions_at(win)
        if not chosen:
            return "ok: no tracked change here"
        settle_revisions(win.doc, accept, chosen)
    else:
        settle_revisions(win.doc, accept)
        if scope == "all_stop":
            put_setting(win.doc, "review.track_changes", "")
    win.selection = None
    return "ok"


# ---- comments ------------------------------------------------------------------------------------
def comments(doc: Document) -> list[dict[str, Any]]:
    return [a for a in doc.annotations if a.get("kind") == "comment"]


def new_comment(anchor: str, text: str) -> dict[str, Any]:
    return {"kind": "comment", "anchor": anchor, "text": text, "replies": [], "resolved": "no"}


def _position(doc: Document, anchor: str) -> tuple[int, int]:
    span = doc.find(anchor)
    return (span[0], span[1]) if span is not None else (len(doc.blocks), 0)


def _comment_span(doc: Document, comment: dict[str, Any]) -> Span | None:
    return doc.find(str(comment.get("anchor", "")))


def active_comment(win: WordWindow) -> dict[str, Any] | None:
    """The comment whose commented text holds the selection (or the cursor)."""
    spans = win.text_spans()
    block, start, end = spans[0] if spans else (win.cursor[0], win.cursor[1], win.cursor[1])
    for comment in sorted(comments(win.doc), key=lambda c: _position(win.doc, str(c["anchor"]))):
        span = _comment_span(win.doc, comment)
        if span is not None and span[0] == block and span[1] <= start and end <= span[2]:
            return comment
    return None


@dataclass
class _Drafts:
    """What is typed in a comment card but not posted (not part of the document until Post)."""

    anchor: str | None = None  # a new comment's card (New Comment clicked) on this text
    text: str = ""
    reply_anchor: str | None = None
    reply: str = ""


_DRAFTS: WeakKeyDictionary[WordWindow, _Drafts] = WeakKeyDictionary()


def _drafts(win: WordWindow) -> _Drafts:
    return _DRAFTS.setdefault(win, _Drafts())


def _word_at_cursor(win: WordWindow) -> str:
    block, offset = win.cursor
    par = win.doc.blocks[block]
    text = getattr(par, "text", "")
    for m in _WORD.finditer(text):
        if m.start() <= offset <= m.end():
            return m.group()
    raise SimError("there is no text at the cursor to comment on")


@register_effect("review_new_comment")
def _new_comment(win: WordWindow, _: Any) -> str:
    """Review > New Comment: a card for the selected text (the word at the cursor without one)
    whose box takes the comment; it is added when posted."""
    spans = win.text_spans()
    if len(spans) > 1:
        raise SimError("a comment on text across paragraphs is not modelled; select text in one paragraph")
    anchor = win.selected_text() if spans else _word_at_cursor(win)
    drafts = _drafts(win)
    drafts.anchor, drafts.text = anchor, ""
    return "ok"


def _set_comment_text(win: WordWindow, text: str) -> str:
    drafts = _drafts(win)
    if drafts.anchor is None:
        raise SimError("no new comment is open")
    drafts.text = text
    return "ok"


@register_effect("review_post_comment")
def _post_comment(win: WordWindow, _: Any) -> str:
    drafts = _drafts(win)
    if drafts.anchor is None or not drafts.text.strip():
        return "ok: the comment is empty, nothing posted"
    win.doc.annotations.append(new_comment(drafts.anchor, drafts.text.strip()))
    drafts.anchor, drafts.text = None, ""
    return "ok"


@register_effect("review_discard_comment")
def _discard_comment(win: WordWindow, _: Any) -> str:
    drafts = _drafts(win)
    drafts.anchor, drafts.text = None, ""
    return "ok"


@register_effect("review_open_comment")
def _open_comment(win: WordWindow, text: Any) -> str:
    """Clicking a comment card selects its commented text (the card becomes the active one)."""
    for comment in comments(win.doc):
        span = _comment_span(win.doc, comment)
        if comment.get("text") == text and span is not None:
            win.select(TextSel((span,)))
            return "ok"
    raise SimError(f"no comment {text!r} on screen")


def _set_reply(win: WordWindow, text: str) -> str:
    comment = active_comment(win)
    if comment is None:
        raise SimError("click a comment first")
    drafts = _drafts(win)
    drafts.reply_anchor, drafts.reply = str(comment["anchor"]), text
    return "ok"


@register_effect("review_post_reply")
def _post_reply(win: WordWindow, _: Any) -> str:
    comment = active_comment(win)
    drafts = _drafts(win)
    if comment is None or drafts.reply_anchor != comment["anchor"] or not drafts.reply.strip():
        return "ok: the reply is empty, nothing posted"
    comment["replies"] = [*comment.get("replies", []), drafts.reply.strip()]
    drafts.reply_anchor, drafts.reply = None, ""
    return "ok"


@register_effect("review_resolve")
def _resolve(win: WordWindow, value: Any) -> str:
    """Resolve thread (``yes``) / Reopen (``no``) on the active comment."""
    comment = active_comment(win)
    if comment is None:
        return "ok: no comment is selected"
    comment["resolved"] = str(value)
    return "ok"


@register_effect("review_delete_comment")
def _delete_comment(win: WordWindow, scope: Any) -> str:
    """Review > Delete (the active comment) or Delete All Comments (``all``); the text stays."""
    if scope == "all":
        win.doc.annotations = [a for a in win.doc.annotations if a.get("kind") != "comment"]
        return "ok"
    comment = active_comment(win)
    if comment is None:
        return "ok: no comment is selected, nothing deleted"
    win.doc.annotations.remove(comment)
    return "ok"


def _card_value(comment: dict[str, Any]) -> str:
    parts = [f'on "{comment["anchor"]}"']
    if comment.get("resolved") == "yes":
        parts.append("resolved")
    parts += [f'reply: "{r}"' for r in comment.get("replies", [])]
    return "; ".join(parts)


def _comment_cards(win: WordWindow, screen: list[Shown]) -> list[Shown]:
    """The comment cards, in the order of their text, after the Document control."""
    at = next((i for i, s in enumerate(screen) if s.place == "document"), None)
    drafts = _drafts(win) if win in _DRAFTS else None
    shown = comments(win.doc)
    if at is None or (not shown and (drafts is None or drafts.anchor is None)):
        return screen
    active = active_comment(win)
    cards: list[tuple[tuple[int, int], list[Shown]]] = []

    def control(control_type: str, name: str, group: str | None, value: str | None, **kw: str) -> Shown:
        return Shown(UiControl(control_type, name, group=group, parent=COMMENTS_PANE, **kw), COMMENTS_PLACE, value)

    for comment in shown:
        text = str(comment["text"])
        card = [control("Group", text, None, _card_value(comment))]
        if comment is active:
            if comment.get("resolved") == "yes":
                card.append(control("Button", "Reopen", text, None))
            else:
                reply = drafts.reply if drafts is not None and drafts.reply_anchor == comment["anchor"] else ""
                card.append(control("Edit", "Reply", text, reply))
                card.append(control("Button", "Post reply", text, None))
            card.append(control("Button", "More thread actions", text, None, menu="Comment Thread"))
        cards.append((_position(win.doc, str(comment["anchor"])), card))
    if drafts is not None and drafts.anchor is not None:
        card = [
            control("Group", "New comment", None, f'on "{drafts.anchor}"'),
            control("Edit", "Start a conversation", "New comment", drafts.text),
            control("Button", "Post comment", "New comment", None),
            control("Button", "Discard comment", "New comment", None),
        ]
        cards.append((_position(win.doc, drafts.anchor), card))
    cards.sort(key=lambda c: c[0])
    return screen[: at + 1] + [s for _, card in cards for s in card] + screen[at + 1 :]


# ---- spelling ------------------------------------------------------------------------------------
def misspellings(doc: Document) -> list[dict[str, Any]]:
    """The flagged words still in the text, in document order."""
    found = [a for a in doc.annotations if a.get("kind") == "misspelling" and doc.find(str(a["text"])) is not None]
    return sorted(found, key=lambda a: _position(doc, str(a["text"])))


def correct_word(doc: Document, flag: dict[str, Any], replacement: str) -> None:
    """Change the flagged word to ``replacement`` (keeping its format) and drop its mark."""
    span = doc.find(str(flag["text"]))
    if span is not None:
        block, start, _ = span
        fmt = doc.char_formats(span)[0]
        doc.delete_span(span)
        doc.insert_text(block, start, replacement)
        doc.format_span((block, start, start + len(replacement)), **vars(fmt))
    doc.annotations.remove(flag)


def _read_spelling(win: WordWindow) -> dialogs.Fields:
    found = misspellings(win.doc)
    if not found:
        return {}
    return {"Not in Dictionary:": str(found[0]["text"]), "Suggestions:": str(found[0]["suggestion"])}


@register_effect("review_spelling")
def _spelling(win: WordWindow, _: Any) -> str:
    """Review > Spelling & Grammar: the dialog at the first flagged word, or the message that the
    check is complete."""
    win._open_dialog(SPELLING if misspellings(win.doc) else "Spelling Complete")
    return "ok"


def _next_word(win: WordWindow) -> str:
    """After Change or Ignore: on to the next flagged word, or close and say the check is done."""
    win._close_dialog()
    return _spelling(win, None)


def _current_flag(win: WordWindow) -> dict[str, Any]:
    dialog = win.dialog
    word = dialog.fields.get("Not in Dictionary:", "") if dialog is not None else ""
    for flag in misspellings(win.doc):
        if flag["text"] == word:
            return flag
    raise SimError("the word is no longer in the document")


@register_effect("review_spelling_change")
def _spelling_change(win: WordWindow, scope: Any) -> str:
    flag = _current_flag(win)
    dialog = win.dialog
    replacement = dialog.fields.get("Suggestions:", "") if dialog is not None else ""
    if not replacement:
        raise SimError("pick a suggestion first")
    for other in misspellings(win.doc) if scope == "all" else [flag]:
        if other["text"] == flag["text"]:
            correct_word(win.doc, other, replacement)
    win.selection = None
    return _next_word(win)


@register_effect("review_spelling_ignore")
def _spelling_ignore(win: WordWindow, _: Any) -> str:
    win.doc.annotations.remove(_current_flag(win))
    return _next_word(win)


def _suggestion_items(win: WordWindow, screen: list[Shown]) -> list[Shown]:
    dialog = win.dialog
    if dialog is None or dialog.key != SPELLING:
        return screen
    place = f"dialog:{SPELLING}"
    at = next((i for i, s in enumerate(screen) if s.place == place and s.name == "Suggestions:"), None)
    word = dialog.fields.get("Not in Dictionary:", "")
    flags = [f for f in misspellings(win.doc) if f["text"] == word]
    if at is None or not flags:
        return screen
    name = str(flags[0]["suggestion"])
    chosen = "selected" if dialog.fields.get("Suggestions:") == name else None
    item = Shown(UiControl("ListItem", name, group="Suggestions:", parent=SPELLING), place, chosen)
    return [*screen[: at + 1], item, *screen[at + 1 :]]


# ---- proofing language ---------------------------------------------------------------------------
def _read_language(win: WordWindow) -> dialogs.Fields:
    langs = {win.doc.para(b).prop("language", DEFAULT_LANGUAGE) for b in win.target_paragraphs()}
    return {"Mark selected text as:": langs.pop() if len(langs) == 1 else ""}


def _apply_language(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    language = after.get("Mark selected text as:", "")
    if language == before.get("Mark selected text as:", "") or not language:
        return "ok"
    blocks = win.target_paragraphs()
    for b in blocks:
        win.doc.para(b).set_prop("language", language, DEFAULT_LANGUAGE)
    return "ok" if blocks else NO_SELECTION


# ---- zoom ----------------------------------------------------------------------------------------
def _read_zoom(win: WordWindow) -> dialogs.Fields:
    zoom = setting(win.doc, "view.zoom")
    fields = {radio: "on" if value == zoom else "off" for radio, value in ZOOM_RADIOS.items()}
    fields["Percent:"] = zoom if zoom.endswith("%") else "100%"
    return fields


def _apply_zoom(win: WordWindow, before: dialogs.Fields, after: dialogs.Fields) -> str:
    if after.get("Percent:") != before.get("Percent:"):
        percent = parse_number(after.get("Percent:", ""), unit="%")
        if percent is None or not 10 <= percent <= 500:
            raise SimError("enter a zoom percentage between 10 and 500")
        put_setting(win.doc, "view.zoom", f"{round(percent)}%")
        return "ok"
    for radio, value in ZOOM_RADIOS.items():
        if after.get(radio) == "on" and before.get(radio) != "on":
            put_setting(win.doc, "view.zoom", value)
    return "ok"


# ---- what the controls show ----------------------------------------------------------------------
def _value(win: WordWindow, c: UiControl, place: str) -> str | None:
    name, doc = c.name, win.doc
    if place == "tab:Review":
        if name == "Track Changes":
            return _on_off(setting(doc, "review.track_changes") == "on")
        if name == "Display for Review":
            return setting(doc, "review.markup")
    elif place == "tab:View" or place == "chrome:Status Bar":
        if name in VIEW_MODES and c.control_type == "Button":
            return _on_off(setting(doc, "view.mode") == name)
        if place == "tab:View" and name in PAGE_MOVEMENTS:
            return _on_off(setting(doc, "view.page_movement") == name)
        if place == "tab:View" and name in SHOW_BOXES:
            return _on_off(setting(doc, SHOW_BOXES[name]) == "on")
        if place == "chrome:Status Bar" and c.control_type == "Slider" and name == "Zoom":
            return setting(doc, "view.zoom")
        if place == "chrome:Status Bar" and name == "Spelling and Grammar Check":
            return "errors found" if misspellings(doc) else "no errors"
    elif place == "tab:Home" and name == "Show/Hide ¶":
        return _on_off(setting(doc, "view.formatting_marks") == "on")
    elif place == "menu:Display for Review" and c.control_type == "ListItem":
        return "selected" if setting(doc, "review.markup") == name else None
    return None


VALUE_READERS.append(_value)
SCREEN_EXTRAS.extend([_comment_cards, _suggestion_items])
TEXT_SETTERS["review_comment"] = _set_comment_text
TEXT_SETTERS["review_reply"] = _set_reply
dialogs.READERS.update({SPELLING: _read_spelling, "Language": _read_language, "Zoom": _read_zoom})
dialogs.APPLIERS.update({"language": _apply_language, "zoom": _apply_zoom})

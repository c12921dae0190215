"""Review and View families: tracked changes, comments, spelling, proofing language, the markup
display; zoom, view mode, page movement and the show/hide settings of the window.

How the document model holds each of these (settings, revisions, comments, misspellings) is
described in :mod:`lam.sim.word2.behaviours.review`, whose helpers ``apply`` uses so that the
checker's truth and the window's clicks change the document the same way. In short: accepting a
change keeps inserted text and drops deleted text, rejecting does the opposite, and either way the
paragraph text ends exactly as Word leaves it (a revision is a whole sentence with its separating
space, so no double space remains); a comment is anchored on a unique phrase and shows as a card
in the document area, named by its text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from typing import Any

from lam.sim.document import Document
from lam.sim.word2 import WordWindow
from lam.sim.word2.behaviours import review as rv
from lam.tasks.v2.documents import load_sources
from lam.tasks.v2.ops import Act, Op, OpKind, _click, reach, select_target
from lam.tasks.v2.targets import NoTarget, draw_target, spans

_SENTENCE = re.compile(r"[^.!?]+[.!?]")
_WORD = re.compile(r"[A-Za-z]+")
COMMENT_SEEDS = (
    "Please confirm these figures.",
    "Can we say this more simply?",
    "Is this still the plan?",
    "Source for this?",
    "Nice addition.",
    "Should this move up?",
)


def _never(doc: Document, op: Op) -> bool:
    return False


def _press(
    win: WordWindow, tab: str, control_type: str, name: str, subtask: str | None = None, destructive: bool = False
) -> Iterator[Act]:
    """Reach a ribbon control of ``tab`` and click it there (by place: the status bar repeats some
    names, e.g. Print Layout and 100%)."""
    yield from reach(win, tab, control_type, name)
    act = _click(control_type, name, subtask or f"Click {name} on the {tab} tab", f"tab:{tab}")
    yield Act(act.function, act.args, act.control, act.subtask, destructive=destructive)


# ---- settings families ---------------------------------------------------------------------------
def _setting_kind(
    key: str,
    value: Callable[[Op], str],
    expert: Callable[[WordWindow, Op], Iterator[Act]],
    setup: Callable[[Document, random.Random], None] | None = None,
) -> OpKind:
    def apply(doc: Document, op: Op) -> None:
        rv.put_setting(doc, key, value(op))

    def satisfied(doc: Document, op: Op) -> bool:
        return rv.setting(doc, key) == value(op)

    return OpKind(apply, satisfied, expert, setup=setup)


def _shown(op: Op) -> str:
    return "on" if op["state"] == "Show" else ""


def _maybe_on(key: str) -> Callable[[Document, random.Random], None]:
    """Half of the documents open with the element shown, so both Show and Hide have work to do."""

    def setup(doc: Document, rng: random.Random) -> None:
        if rng.random() < 0.5:
            rv.put_setting(doc, key, "on")

    return setup


def _x_check(tab: str, control_type: str, name: str) -> Callable[[WordWindow, Op], Iterator[Act]]:
    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from _press(win, tab, control_type, name, f"{'Tick' if op['state'] == 'Show' else 'Clear'} {name}")

    return expert


def _x_view_button(key: str) -> Callable[[WordWindow, Op], Iterator[Act]]:
    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from _press(win, "View", "Button", str(op[key]))

    return expert


def _random_setting(key: str, values: tuple[str, ...]) -> Callable[[Document, random.Random], None]:
    def setup(doc: Document, rng: random.Random) -> None:
        rv.put_setting(doc, key, rng.choice(values))

    return setup


# Zoom: the View tab's buttons and the Zoom dialog's radio buttons, by the state they leave.
ZOOM_PRESETS = {
    "100%": "100%",
    "One Page": "Whole Page",
    "Multiple Pages": "Many Pages",
    "Page Width": "Page Width",
    "Text Width": "Text Width",
    "Whole Page": "Whole Page",
}
ZOOM_DIALOG_ONLY = {"Text Width": "Text width", "Whole Page": "Whole page"}
ZOOM_RADIO_PERCENTS = (200, 100, 75)


def _zoom_dialog(win: WordWindow) -> Iterator[Act]:
    yield from _press(win, "View", "Button", "Zoom", "Open the Zoom dialog")


def _x_zoom_percent(win: WordWindow, op: Op) -> Iterator[Act]:
    percent = int(op["zoom"])
    yield from _zoom_dialog(win)
    if percent in ZOOM_RADIO_PERCENTS:
        yield _click("RadioButton", f"{percent}%", f"Choose {percent}%", "dialog:Zoom")
    else:
        yield Act(
            "set_edit_text",
            {"text": f"{percent}%"},
            ("Spinner", "Percent:", "dialog:Zoom"),
            f"Set Percent to {percent}%",
        )
    yield _click("Button", "OK", "Click OK", "dialog:Zoom")


def _x_zoom_preset(win: WordWindow, op: Op) -> Iterator[Act]:
    preset = str(op["preset"])
    if preset in ZOOM_DIALOG_ONLY:
        yield from _zoom_dialog(win)
        yield _click("RadioButton", ZOOM_DIALOG_ONLY[preset], f"Choose {ZOOM_DIALOG_ONLY[preset]}", "dialog:Zoom")
        yield _click("Button", "OK", "Click OK", "dialog:Zoom")
    else:
        yield from _press(win, "View", "Button", preset)


def _x_markup(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from reach(win, "Review", "ComboBox", "Display for Review")
    yield _click("ComboBox", "Display for Review", "Open Display for Review", "tab:Review")
    yield _click("ListItem", str(op["mode"]), f"Choose {op['mode']}", "menu:Display for Review")


def _x_track(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _press(win, "Review", "SplitButton", "Track Changes")


# ---- tracked changes -----------------------------------------------------------------------------
def _source_sentences(doc: Document) -> list[str]:
    """Sentences of the document's source that the document does not hold (material to insert)."""
    title = doc.paragraphs()[0][1].text if doc.paragraphs() else ""
    pool = [s for src in load_sources() if src.title == title for s in src.sentences]
    return [s for s in pool if doc.count(s) == 0]


def _add_revisions(doc: Document, rng: random.Random) -> None:
    """Two to four tracked changes in the body: whole sentences deleted (from paragraphs of two or
    more) or inserted (at a paragraph's end, from the source's unused sentences); at least one of
    each kind, so accepting and rejecting give different texts."""
    body = doc.paragraphs()[1:]
    spare = _source_sentences(doc)
    rng.shuffle(spare)
    deletable = [(i, p) for i, p in body if len(_SENTENCE.findall(p.text)) >= 2]
    if not (deletable and spare):
        return  # no change to track: the families' draw refuses the document (NoTarget)
    plan = ["delete", "insert", *rng.sample(["delete", "insert"], k=rng.choice((0, 1, 2)))]
    used: set[int] = set()
    for kind in plan:
        if kind == "delete":
            free = [(i, p) for i, p in deletable if i not in used]
            if not free:
                continue
            i, par = rng.choice(free)
            sentences = [m.group() for m in _SENTENCE.finditer(par.text)]
            k = rng.randrange(len(sentences))
            # with the space that parts it from its neighbour (a later sentence's match begins with it)
            text = sentences[0] + " " if k == 0 else sentences[k]
            used.add(i)
            doc.annotations.append({"kind": "revision", "type": "delete", "text": text})
        else:
            free = [(i, p) for i, p in body if i not in used]
            if not free or not spare:
                continue
            i, par = rng.choice(free)
            text = " " + spare.pop()
            doc.insert_text(i, len(par.text), text)
            used.add(i)
            doc.annotations.append({"kind": "revision", "type": "insert", "text": text})
    if rng.random() < 0.5:
        rv.put_setting(doc, "review.track_changes", "on")


def _x_settle(accept: bool) -> Callable[[WordWindow, Op], Iterator[Act]]:
    menu = "Accept" if accept else "Reject"

    def expert(win: WordWindow, op: Op) -> Iterator[Act]:
        yield from reach(win, "Review", "SplitButton", menu)
        if win.open_menu != menu:
            yield _click("SplitButton", menu, f"Open the {menu} drop-down", "tab:Review")
        item = f"{menu} All Changes"
        act = _click("MenuItem", item, f"Choose {item}", f"menu:{menu}")
        yield Act(act.function, act.args, act.control, act.subtask, destructive=not accept)

    return expert


def _settle_kind(accept: bool) -> OpKind:
    def apply(doc: Document, op: Op) -> None:
        rv.settle_revisions(doc, accept)

    def satisfied(doc: Document, op: Op) -> bool:
        return not rv.revisions(doc)

    return OpKind(apply, satisfied, _x_settle(accept), setup=_add_revisions, draw=_need_revisions)


def _track_off_setup(doc: Document, rng: random.Random) -> None:
    _add_revisions(doc, rng)
    rv.put_setting(doc, "review.track_changes", "on")


# ---- comments ------------------------------------------------------------------------------------
def _add_comments(doc: Document, rng: random.Random) -> None:
    """Two to four unresolved comments on phrases of different body paragraphs, each with its own
    text (texts of their own, apart from the pool that new comments and replies draw from)."""
    texts = list(COMMENT_SEEDS)
    rng.shuffle(texts)
    used: set[int] = set()
    want = rng.choice((2, 3, 3, 4))
    for _ in range(40):
        if len(rv.comments(doc)) >= want:
            break
        target = draw_target(doc, "phrase", rng)
        span = doc.find(str(target["text"]))
        if span is None or span[0] in used or span[0] == doc.paragraphs()[0][0]:
            continue
        used.add(span[0])
        doc.annotations.append(rv.new_comment(str(target["text"]), texts.pop()))


def _need_revisions(doc: Document, rng: random.Random, op: Op) -> Op:
    if not rv.revisions(doc):
        raise NoTarget("the document has no tracked changes")
    return op


def _need_comments(doc: Document, rng: random.Random, op: Op) -> Op:
    if len(rv.comments(doc)) < 2:
        raise NoTarget("the document has too few comments")
    return op


def _draw_comment(doc: Document, rng: random.Random, op: Op) -> Op:
    """The op's target: one of the document's comments, named by the text it is on. Every template
    says "the comment on {target}" itself, so the reference is that text alone (render 3; it was
    'the comment on "..."' or 'the comment "..."': "the comment on the comment on ...")."""
    _need_comments(doc, rng, op)
    comment = rng.choice(rv.comments(doc))
    anchor = str(comment["anchor"])
    ref = f'the phrase "{anchor}"' if rng.random() < 0.5 else f'"{anchor}"'
    return {**op, "target": {"kind": "phrase", "text": anchor, "ref": ref}}


def _comment(doc: Document, op: Op) -> dict[str, Any] | None:
    return next((c for c in rv.comments(doc) if c["anchor"] == op["target"]["text"]), None)


def _open_card(win: WordWindow, op: Op) -> Iterator[Act]:
    comment = _comment(win.doc, op)
    if comment is None:
        raise ValueError(f"no comment on {op['target']['text']!r}")
    if rv.active_comment(win) is not comment:
        yield _click("Group", str(comment["text"]), "Click the comment", rv.COMMENTS_PLACE)


def _new_comment_apply(doc: Document, op: Op) -> None:
    doc.annotations.append(rv.new_comment(str(op["target"]["text"]), str(op["text"])))


def _x_new_comment(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield from _press(win, "Review", "Button", "New Comment")
    yield Act(
        "set_edit_text",
        {"text": op["text"]},
        ("Edit", "Start a conversation", rv.COMMENTS_PLACE),
        "Type the comment",
    )
    yield _click("Button", "Post comment", "Post the comment", rv.COMMENTS_PLACE)


def _reply_apply(doc: Document, op: Op) -> None:
    comment = _comment(doc, op)
    if comment is not None:
        comment["replies"] = [*comment.get("replies", []), str(op["text"])]


def _x_reply(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _open_card(win, op)
    yield Act("set_edit_text", {"text": op["text"]}, ("Edit", "Reply", rv.COMMENTS_PLACE), "Type the reply")
    yield _click("Button", "Post reply", "Post the reply", rv.COMMENTS_PLACE)


def _resolve_apply(doc: Document, op: Op) -> None:
    comment = _comment(doc, op)
    if comment is not None:
        comment["resolved"] = "yes"


def _resolve_satisfied(doc: Document, op: Op) -> bool:
    comment = _comment(doc, op)
    return comment is not None and comment.get("resolved") == "yes"


def _x_resolve(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _open_card(win, op)
    if win.open_menu != "Comment Thread":
        yield _click("Button", "More thread actions", "Open More thread actions", rv.COMMENTS_PLACE)
    yield _click("MenuItem", "Resolve thread", "Choose Resolve thread", "menu:Comment Thread")


def _delete_apply(doc: Document, op: Op) -> None:
    comment = _comment(doc, op)
    if comment is not None:
        doc.annotations.remove(comment)


def _delete_satisfied(doc: Document, op: Op) -> bool:
    return _comment(doc, op) is None


def _x_delete(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from _open_card(win, op)
    yield from _press(win, "Review", "SplitButton", "Delete", "Click Delete to delete the comment", destructive=True)


def _delete_all_apply(doc: Document, op: Op) -> None:
    doc.annotations = [a for a in doc.annotations if a.get("kind") != "comment"]


def _no_comments(doc: Document, op: Op) -> bool:
    return not rv.comments(doc)


def _x_delete_all(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from reach(win, "Review", "SplitButton", "Delete")
    if win.open_menu != "Delete Comment":
        yield Act(
            "keyboard_input", {"keys": "%{DOWN}"}, ("SplitButton", "Delete", "tab:Review"), "Open the Delete drop-down"
        )
    item = "Delete All Comments in Document"
    act = _click("MenuItem", item, f"Choose {item}", "menu:Delete Comment")
    yield Act(act.function, act.args, act.control, act.subtask, destructive=True)


# ---- spelling ------------------------------------------------------------------------------------
def _misspell(doc: Document, rng: random.Random) -> None:
    """One body word of six letters or more written with two neighbouring letters swapped, as a
    typing slip, flagged by the speller with the right spelling as its suggestion."""
    body = {i for i, _ in doc.paragraphs()[1:]}
    words = [
        (i, m)
        for i, par in doc.paragraphs()
        if i in body
        for m in _WORD.finditer(par.text)
        if len(m.group()) >= 6 and doc.count(m.group()) == 1
    ]
    rng.shuffle(words)
    for block, m in words:
        word = m.group()
        spots = [k for k in range(1, len(word) - 2) if word[k] != word[k + 1]]
        if not spots:
            continue
        k = rng.choice(spots)
        bad = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
        if doc.count(bad) or bad.lower() == word.lower():
            continue
        fmt = doc.char_formats((block, m.start(), m.end()))[0]
        doc.delete_span((block, m.start(), m.end()))
        doc.insert_text(block, m.start(), bad)
        doc.format_span((block, m.start(), m.end()), **vars(fmt))
        doc.annotations.append({"kind": "misspelling", "text": bad, "suggestion": word})
        return


def _draw_misspelling(doc: Document, rng: random.Random, op: Op) -> Op:
    flags = rv.misspellings(doc)
    if not flags:
        raise NoTarget("the document has no misspelled word")
    bad = str(flags[0]["text"])
    ref = f'the misspelled word "{bad}"' if rng.random() < 0.5 else "the misspelled word"
    return {**op, "target": {"kind": "word", "text": bad, "ref": ref}}


def _flag(doc: Document, op: Op) -> dict[str, Any] | None:
    return next((f for f in rv.misspellings(doc) if f["text"] == op["target"]["text"]), None)


def _spelling_apply(doc: Document, op: Op) -> None:
    flag = _flag(doc, op)
    if flag is not None:
        rv.correct_word(doc, flag, str(flag["suggestion"]))


def _x_spelling(win: WordWindow, op: Op) -> Iterator[Act]:
    flag = _flag(win.doc, op)
    if flag is None:
        raise ValueError(f"{op['target']['text']!r} is not flagged")
    place = f"dialog:{rv.SPELLING}"
    yield from _press(win, "Review", "SplitButton", "Spelling & Grammar", "Run Spelling & Grammar")
    yield _click("ListItem", str(flag["suggestion"]), f"Pick {flag['suggestion']}", place)
    yield _click("Button", "Change", "Click Change", place)
    yield _click("Button", "OK", "Close the check-complete message", "dialog:Spelling Complete")


# ---- proofing language ---------------------------------------------------------------------------
def _blocks(doc: Document, op: Op) -> list[int]:
    return sorted({b for b, _, _ in spans(doc, op["target"])})


def _language_apply(doc: Document, op: Op) -> None:
    for b in _blocks(doc, op):
        doc.para(b).set_prop("language", str(op["language"]), rv.DEFAULT_LANGUAGE)


def _language_satisfied(doc: Document, op: Op) -> bool:
    return all(doc.para(b).prop("language", rv.DEFAULT_LANGUAGE) == op["language"] for b in _blocks(doc, op))


def _x_language(win: WordWindow, op: Op) -> Iterator[Act]:
    yield from select_target(win, op)
    yield from reach(win, "Review", "Button", "Language")
    if win.open_menu != "Language":
        yield _click("Button", "Language", "Open the Language menu", "tab:Review")
    yield _click("MenuItem", "Set Proofing Language...", "Choose Set Proofing Language...", "menu:Language")
    yield _click("ListItem", str(op["language"]), f"Pick {op['language']}", "dialog:Language")
    yield _click("Button", "OK", "Click OK", "dialog:Language")


# ---- the table -----------------------------------------------------------------------------------
OPS: dict[str, OpKind] = {
    "track_changes_on": _setting_kind("review.track_changes", lambda op: "on", _x_track),
    "track_changes_off": _setting_kind("review.track_changes", lambda op: "", _x_track, setup=_track_off_setup),
    "accept_all_changes": _settle_kind(accept=True),
    "reject_all_changes": _settle_kind(accept=False),
    "new_comment": OpKind(_new_comment_apply, _never, _x_new_comment, once=lambda op: False),
    "reply_to_comment": OpKind(
        _reply_apply, _never, _x_reply, once=lambda op: False, setup=_add_comments, draw=_draw_comment
    ),
    "resolve_comment": OpKind(_resolve_apply, _resolve_satisfied, _x_resolve, setup=_add_comments, draw=_draw_comment),
    "delete_comment": OpKind(_delete_apply, _delete_satisfied, _x_delete, setup=_add_comments, draw=_draw_comment),
    "delete_all_comments": OpKind(
        _delete_all_apply, _no_comments, _x_delete_all, setup=_add_comments, draw=_need_comments
    ),
    "spelling_correction": OpKind(
        _spelling_apply, lambda d, o: _flag(d, o) is None, _x_spelling, setup=_misspell, draw=_draw_misspelling
    ),
    "proofing_language": OpKind(_language_apply, _language_satisfied, _x_language),
    "markup_display": _setting_kind("review.markup", lambda op: str(op["mode"]), _x_markup),
    "zoom_percent": _setting_kind("view.zoom", lambda op: f"{int(op['zoom'])}%", _x_zoom_percent),
    "zoom_preset": _setting_kind("view.zoom", lambda op: ZOOM_PRESETS[str(op["preset"])], _x_zoom_preset),
    "ruler": _setting_kind("view.ruler", _shown, _x_check("View", "CheckBox", "Ruler"), _maybe_on("view.ruler")),
    "gridlines": _setting_kind(
        "view.gridlines", _shown, _x_check("View", "CheckBox", "Gridlines"), _maybe_on("view.gridlines")
    ),
    "navigation_pane": _setting_kind(
        "view.navigation_pane",
        _shown,
        _x_check("View", "CheckBox", "Navigation Pane"),
        _maybe_on("view.navigation_pane"),
    ),
    "view_mode": _setting_kind(
        "view.mode",
        lambda op: str(op["mode"]),
        _x_view_button("mode"),
        _random_setting("view.mode", ("Print Layout", "Print Layout", "Web Layout", "Draft")),
    ),
    "formatting_marks": _setting_kind(
        "view.formatting_marks",
        _shown,
        _x_check("Home", "Button", "Show/Hide ¶"),
        _maybe_on("view.formatting_marks"),
    ),
    "page_movement": _setting_kind(
        "view.page_movement",
        lambda op: str(op["mode"]),
        _x_view_button("mode"),
        _random_setting("view.page_movement", ("Vertical", "Side to Side")),
    ),
}

UNSUPPORTED: dict[str, str] = {}

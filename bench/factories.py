"""Small valid ``/predict_action`` bodies (Word-like controls, optional memory steps): the reliability
report's request mix, and the builders the unit, integration and reliability tests share."""

from __future__ import annotations

from typing import Any

WORD_CONTROL_NAMES = [
    ("TabItem", "Home"),
    ("TabItem", "Insert"),
    ("TabItem", "Design"),
    ("TabItem", "Layout"),
    ("Button", "Bold"),
    ("Button", "Italic"),
    ("Button", "Underline"),
    ("ComboBox", "Font"),
    ("ComboBox", "Font Size"),
    ("Button", "Align Left"),
    ("Button", "Center"),
    ("Button", "Align Right"),
    ("Button", "Bullets"),
    ("Button", "Numbering"),
    ("Button", "Text Highlight Color"),
    ("Edit", "Search"),
    ("Document", "Page 1 content"),
    ("ScrollBar", "Vertical"),
    ("Button", "Page Borders"),
    ("ListItem", "Heading 1"),
]


def controls(n: int, *, start: int = 1, names: list[tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    """``n`` Word-like controls with labels ``start..start+n-1``; names cycle, then get numbered."""
    pool = names or WORD_CONTROL_NAMES
    out = []
    for i in range(n):
        ctype, name = pool[i % len(pool)]
        if i >= len(pool):
            name = f"{name} {i // len(pool)}"
        out.append({"label": str(start + i), "control_type": ctype, "name": name})
    return out


def predict_body(
    n_controls: int = 5, *, request: str = "Make the title bold", steps: int = 0, **overrides: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "request": request,
        "app": "word",
        "observation": {"window_title": "report.docx - Word", "controls": controls(n_controls)},
        "memory": {
            "steps": [
                {"function": "select_text", "args": {"text": f"Paragraph {i}"}, "status": "CONTINUE", "result": "ok"}
                for i in range(steps)
            ]
        },
    }
    body.update(overrides)
    return body

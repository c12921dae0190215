"""Realistic ``/predict_action`` bodies for the benchmark and the locust load (no service import).

Screens look like UFO's control lists for Word and Excel (ribbon tabs and buttons, combo boxes, the
document or the grid, scroll bars, list items), labelled ``1..N`` in screen order as UFO numbers
them; memory holds 0-10 earlier steps of the same task. Deterministic for a seed, so the benchmark
sends the same bytes on every run.
"""

from __future__ import annotations

import random
from typing import Any

_RIBBON = ["File", "Home", "Insert", "Draw", "Design", "Layout", "References", "Mailings", "Review", "View", "Help"]
_WORD_BUTTONS = [
    "Bold", "Italic", "Underline", "Strikethrough", "Subscript", "Superscript", "Text Highlight Color",
    "Font Color", "Clear All Formatting", "Bullets", "Numbering", "Multilevel List", "Decrease Indent",
    "Increase Indent", "Sort", "Show/Hide ¶", "Align Left", "Center", "Align Right", "Justify",
    "Line and Paragraph Spacing", "Shading", "Borders", "Find", "Replace", "Select", "Dictate", "Editor",
    "Paste", "Cut", "Copy", "Format Painter", "Table", "Pictures", "Shapes", "Icons", "Chart", "Screenshot",
    "Link", "Comment", "Header", "Footer", "Page Number", "Text Box", "Page Borders", "Watermark",
    "Page Color", "Margins", "Orientation", "Size", "Columns", "Breaks", "Line Numbers", "Hyphenation",
    "Spelling & Grammar", "Word Count", "Track Changes", "Accept", "Reject", "Share", "Undo", "Redo",
]  # fmt: skip
_WORD_LISTS = ["Normal", "No Spacing", "Heading 1", "Heading 2", "Title", "Subtitle", "Quote", "Emphasis"]
_EXCEL_BUTTONS = [
    "Bold", "Italic", "Underline", "Borders", "Fill Color", "Font Color", "Merge & Center", "Wrap Text",
    "Accounting Number Format", "Percent Style", "Comma Style", "Increase Decimal", "Decrease Decimal",
    "Conditional Formatting", "Format as Table", "Cell Styles", "Insert Cells", "Delete Cells", "Format",
    "AutoSum", "Fill", "Clear", "Sort & Filter", "Find & Select", "PivotTable", "Recommended Charts",
    "Insert Column or Bar Chart", "Insert Line or Area Chart", "Insert Pie or Doughnut Chart", "Sparklines",
    "Slicer", "Timeline", "Freeze Panes", "Paste", "Cut", "Copy", "Format Painter", "Undo", "Redo",
]  # fmt: skip
_EXCEL_SHEETS = ["Sheet1", "Sheet2", "Q3 Sales", "Summary"]
_WORD_REQUESTS = [
    "Make the title bold",
    "Insert a table with 3 rows and 4 columns",
    "Center the first paragraph",
    "Change the font of the heading to Arial",
    "Underline the words 'Quarterly report'",
    "Add page borders from the Design tab",
    "Turn the list of names into a numbered list",
    "Add a footer with the page number",
    "Highlight the sentence about revenue in yellow",
    "Apply the Heading 1 style to the first line",
]
_EXCEL_REQUESTS = [
    "Sum the values of column B into B20",
    "Make the header row bold",
    "Sort the table by the Revenue column",
    "Insert a bar chart of the Q3 sales",
    "Freeze the top row",
    "Format column C as percentages",
    "Write 'Total' into cell A20",
    "Merge and center the title cells",
]


def _controls(app: str, n: int, rng: random.Random) -> list[dict[str, Any]]:
    out: list[tuple[str, str]] = [("TabItem", tab) for tab in _RIBBON[: min(len(_RIBBON), max(3, n // 10))]]
    buttons = _WORD_BUTTONS if app == "word" else _EXCEL_BUTTONS
    extras = (
        [("ComboBox", "Font"), ("ComboBox", "Font Size"), ("Edit", "Search"), ("Document", "Page 1 content")]
        if app == "word"
        else [("ComboBox", "Font"), ("ComboBox", "Font Size"), ("Edit", "Name Box"), ("Edit", "Formula Bar")]
    )
    out += extras
    b = i = 0
    while len(out) < n:
        kind = rng.random()
        if kind < 0.65:
            name = buttons[b % len(buttons)] + ("" if b < len(buttons) else f" ({b // len(buttons) + 1})")
            out.append(("Button", name))
            b += 1
        elif kind < 0.8 and app == "word":
            out.append(("ListItem", _WORD_LISTS[i % len(_WORD_LISTS)]))
        elif kind < 0.8:
            out.append(("DataItem", f"{'ABCDEFGH'[i % 8]}{i // 8 + 1}"))
        elif kind < 0.9:
            out.append(("MenuItem", f"More {buttons[i % len(buttons)]} Options"))
        else:
            out.append(("ScrollBar", rng.choice(["Vertical", "Horizontal"])))
        i += 1
    return [{"label": str(k + 1), "control_type": t, "name": name} for k, (t, name) in enumerate(out[:n])]


def _step(app: str, rng: random.Random, controls: list[dict[str, Any]]) -> dict[str, Any]:
    roll = rng.random()
    target = rng.choice(controls) if controls else {"label": "", "name": ""}
    if roll < 0.5:
        step = {"function": "click_input", "args": {"button": "left", "double": False}}
        step.update(control_label=target["label"], control_text=target["name"])
    elif roll < 0.65:
        step = {"function": "set_edit_text", "args": {"text": rng.choice(["Arial", "12", "Revenue", "=SUM(B2:B19)"])}}
        step.update(control_label=target["label"], control_text=target["name"])
    elif app == "word":
        step = {
            "function": "select_text",
            "args": {"text": rng.choice(["Quarterly report", "Revenue grew 12%", "Names"])},
        }
    else:
        step = {
            "function": "select_table_range",
            "args": {
                "sheet_name": "Sheet1",
                "start_row": 1,
                "start_col": 1,
                "end_row": rng.randint(2, 20),
                "end_col": 4,
            },
        }
    step.update(status="CONTINUE", result=rng.choice(["ok", "ok", "", "the ribbon changed"]))
    return step


def observation_body(
    app: str = "word", n_controls: int = 50, memory_steps: int = 2, seed: int = 0, request: str | None = None
) -> dict[str, Any]:
    """One ``/predict_action`` body; the same arguments give the same bytes."""
    rng = random.Random(f"{app}-{n_controls}-{memory_steps}-{seed}")
    controls = _controls(app, n_controls, rng)
    requests = _WORD_REQUESTS if app == "word" else _EXCEL_REQUESTS
    title = "report.docx - Word" if app == "word" else f"{rng.choice(['sales', 'budget'])}.xlsx - Excel"
    return {
        "request": request or rng.choice(requests),
        "app": app,
        "observation": {"window_title": title, "controls": controls},
        "memory": {"steps": [_step(app, rng, controls) for _ in range(memory_steps)]},
        "task_id": f"bench-{app}-{seed}",
        "step": memory_steps,
    }


def realistic_mix(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """A load mix: Word and Excel, 10 to 200 controls (most between 30 and 80), 0 to 10 memory steps."""
    rng = random.Random(seed)
    bodies = []
    for i in range(count):
        app = "word" if rng.random() < 0.7 else "excel"
        n = rng.choice([10, 20, 30, 40, 50, 50, 60, 80, 100, 150, 200])
        bodies.append(observation_body(app, n, rng.randint(0, 10), seed=i))
    return bodies

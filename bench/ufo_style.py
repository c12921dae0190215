# ruff: noqa: E501  (prose)
"""A UFO-style AppAgent prompt, for comparison only: what the same observation costs when rendered the
way UFO's AppAgent renders it (never used by the service).

The shape follows UFO's text-only AppAgent prompt: a long system part (role and guidelines, status
definitions with examples of sensitive actions, a nine-key JSON response format explained key by
key, per-API documentation with usage and an example call, then worked demonstrations as full JSON
responses), and a user part with the controls as JSON dicts (``label``, ``control_text``,
``control_type``), the previous plan, the step history as JSON and the request. The wording is ours,
sized to match the ~11,200 tokens UFO's prompt costs for 50 controls in SmolLM2's tokenizer.
"""

from __future__ import annotations

import json
from typing import Any

from service.action_space import ActionSpace

_ROLE = """- You are the AppAgent of a UI-focused agent framework for Windows. You help the user complete the current request by interacting with the user interface of one application window.
- As the AppAgent you complete the sub-task that the HostAgent assigned to you. The HostAgent gives you the information you need; use it wisely and selectively.
- You are given the list of control items of the current application window that you can interact with.
- You are given your previous plan of action for reference. You are not required to follow it strictly: revise it when the application state says so.
- You are given the history of user requests that you already completed, for reference.
- You are given the step trajectories completed previously, with the actions, thoughts and results of your previous steps.
- You are given the blackboard, which records what you saved at previous steps. Use it as a reference for the next action.
- You must select one control item and take exactly one action on it to advance the sub-task."""

_CONTROLS = """## Control items
- A control item is an element of the window that you can interact with.
- You are given every available control item of the current window as a list of dictionaries: {"label": "the annotated label of the control item", "control_text": "the text of the control item", "control_type": "the type of the control item"}."""

_STATUS = """## Status of the task
- After choosing the action you must decide the status of the task and write it in the "Status" field of your response:
  - "CONTINUE": the task is not finished and needs further actions.
  - "FINISH": the current sub-task is finished in this application and no further actions are required, even when the user request has more sub-tasks elsewhere.
  - "FAIL": the task cannot be completed because of the application state, a wrong application or another reason. Give the reason in the "Comment" field.
  - "CONFIRM": the one action you are taking now is sensitive and must be confirmed by the user before it is executed. This applies to the current action only, not to the actions of your plan. Sensitive actions include, among others:
    [1] Sending a message or an email: once sent it cannot be retrieved, so clicking the Send button needs confirmation. Typing the message is not sensitive.
    [2] Deleting or modifying files and folders, in particular in system directories or with important user data.
    [3] Closing a window or an application, since it may lose data.
    [4] Accessing the webcam or the microphone, since it raises privacy concerns.
    [5] Installing or uninstalling software, since it changes the system configuration and may introduce security risks.
    [6] Reading the browser history or stored passwords.
    Justify in your "Thought" why the current action is sensitive. For example, when the sub-task is to send a message, output "CONFIRM" only for the step that clicks the Send button."""

_RESPONSE = """## Response format
- You must respond in JSON with exactly these nine keys:
  {"Observation": <Describe the current state of the application window in detail: what you observe, what the status of the application is with respect to the user request, and how it changed since the previous step.>
  "Thought": <Explain your reasoning for the one next action needed to fulfil the sub-task. Give your thought for one step only.>
  "ControlLabel": <The exact label of the control item to select, strictly one of the labels in the control information. Output an empty string "" when no control item is suitable or the task is complete.>
  "ControlText": <The exact control_text of the selected control item, strictly matching its label. Output an empty string "" when no control item is suitable or the task is complete.>
  "Function": <The exact name of the API function to call on the control item, without arguments, e.g. click_input. Output "" when no function is suitable or the task is complete.>
  "Args": <The arguments of the function as a dictionary, e.g. {"button": "left", "double": false}. Output {} when the function takes no arguments or no function is called.>
  "Status": <The status of the task after this action.>
  "Plan": <The list of future actions that complete the sub-task after the current action. Give detailed steps. Reflect on your previous plan and revise it if needed. Output "<FINISH>" when no further action is needed.>
  "Comment": <Any additional information. When the task is finished, summarise the task or the action flow to answer the user. Otherwise summarise the progress, describe what you see when the current action is to do so, and list changes of plan.>
  "SaveScreenshot": <Whether to save the screenshot of the current window and why, as {"save": true/false, "reason": "..."}. Save it only when it is necessary for future steps.>}
- You must not act beyond the completion of the current sub-task.
- When the sub-task asks a question that you can answer without acting, answer it in the "Comment" field and set "Status" to "FINISH".
- When the required control item is not in the list, act on other control items to navigate to it.
- You must select a control item of the given list. Its ControlText must match its ControlLabel exactly.
- Analyse the state of the application before selecting a control item. Reflect on your previous plan to remove redundant actions or add missing ones.
- Output "FINISH" in the "Status" field when the task is finished, or finished after the current action.
- The Plan lists only the steps after the current action. Never include the current action in it.
- Check your step history: never repeat an action that already took effect.
- Use the "Results" of the step history to complete the sub-task, e.g. put earlier results into the text you write instead of placeholders.
- The "UserConfirm" field of the trajectory records whether the user confirmed a sensitive action ("Yes": executed, "No": not executed).
- The user request and the sub-task differ: your scope is the current window and the assigned sub-task. When it is complete and another application is needed, output "FINISH".
- Review the previous step trajectories carefully so as not to repeat the actions already taken."""

_CLOSING = """This is a very important task. Read the user request, the sub-task and the control items carefully, think step by step and take a deep breath before you start.
Your answer must be strictly JSON only, without any other text such as a json header, so that json.loads() can parse it."""

_DEMOS: list[dict[str, Any]] = [
    {
        "request": "Make the title of the document bold.",
        "Observation": "The document report.docx is open in Word on the Home tab. The title 'Quarterly report' is at the top of the first page and is already selected after the previous step. The Bold button is visible in the Font group of the ribbon.",
        "Thought": "The title is selected, so clicking the Bold button in the Font group of the Home tab will make it bold, which completes the sub-task.",
        "ControlLabel": "12",
        "ControlText": "Bold",
        "Function": "click_input",
        "Args": {"button": "left", "double": False},
        "Status": "FINISH",
        "Plan": "<FINISH>",
        "Comment": "The title 'Quarterly report' is now bold.",
    },
    {
        "request": "Insert a table with 3 rows and 4 columns after the second paragraph.",
        "Observation": "Word shows report.docx with the cursor at the end of the second paragraph, as placed in the previous step. The Insert tab is not selected; the ribbon shows the Home tab.",
        "Thought": "The cursor is where the table must go. The insert_table API inserts a table at the cursor directly, which is faster and more reliable than navigating the Table menu of the Insert tab.",
        "ControlLabel": "",
        "ControlText": "",
        "Function": "insert_table",
        "Args": {"rows": 3, "columns": 4},
        "Status": "CONTINUE",
        "Plan": ["Check that the table was inserted after the second paragraph.", "Finish the task."],
        "Comment": "Inserting a 3x4 table at the cursor.",
    },
    {
        "request": "Change the font of the heading to Arial.",
        "Observation": "The heading 'Results' is selected in the document. The Font combo box of the Home tab shows 'Calibri (Headings)'.",
        "Thought": "To change the font I set the text of the Font combo box to Arial; the selected heading takes the new font.",
        "ControlLabel": "8",
        "ControlText": "Font",
        "Function": "set_edit_text",
        "Args": {"text": "Arial"},
        "Status": "CONTINUE",
        "Plan": ["Press Enter in the Font combo box to apply the font.", "Verify that the heading uses Arial."],
        "Comment": "Typing Arial into the Font box.",
    },
    {
        "request": "Underline the words 'net revenue' in the summary.",
        "Observation": "The summary paragraph is visible on page 1 and contains 'net revenue' in its second sentence. Nothing is selected yet.",
        "Thought": "I first select the words with the select_text API, then I will click the Underline button in the next step.",
        "ControlLabel": "",
        "ControlText": "",
        "Function": "select_text",
        "Args": {"text": "net revenue"},
        "Status": "CONTINUE",
        "Plan": ["Click the Underline button in the Font group of the Home tab.", "Finish the task."],
        "Comment": "Selecting the words to underline.",
    },
    {
        "request": "Add page borders to the document.",
        "Observation": "Word is on the Home tab. The Page Borders command is in the Page Background group of the Design tab, which is not selected.",
        "Thought": "I need to open the Design tab first to reach the Page Borders button.",
        "ControlLabel": "3",
        "ControlText": "Design",
        "Function": "click_input",
        "Args": {"button": "left", "double": False},
        "Status": "CONTINUE",
        "Plan": [
            "Click the Page Borders button in the Page Background group.",
            "Choose the Box setting in the Borders and Shading dialog.",
            "Click OK to apply the borders.",
        ],
        "Comment": "Opening the Design tab.",
    },
    {
        "request": "Delete the file draft_old.docx from the Documents folder.",
        "Observation": "The Open dialog shows the Documents folder with draft_old.docx selected. The Delete command is available in the context menu.",
        "Thought": "Deleting a file cannot be undone easily and may lose user data, so this action is sensitive and needs the user's confirmation before it is executed.",
        "ControlLabel": "27",
        "ControlText": "Delete",
        "Function": "click_input",
        "Args": {"button": "left", "double": False},
        "Status": "CONFIRM",
        "Plan": "<FINISH>",
        "Comment": "Deleting draft_old.docx needs your confirmation.",
    },
    {
        "request": "How many pages does the document have?",
        "Observation": "The status bar at the bottom of the window reads 'Page 1 of 7' and '2,314 words'.",
        "Thought": "The answer is visible in the status bar, so no action is needed: I answer in the Comment field and finish.",
        "ControlLabel": "",
        "ControlText": "",
        "Function": "",
        "Args": {},
        "Status": "FINISH",
        "Plan": "<FINISH>",
        "Comment": "The document has 7 pages (2,314 words).",
    },
    {
        "request": "Scroll down to the conclusion section.",
        "Observation": "Page 1 is displayed; the conclusion is on page 6 according to the navigation pane opened in the previous step.",
        "Thought": "Scrolling the document down with the mouse wheel brings the conclusion into view.",
        "ControlLabel": "17",
        "ControlText": "Page 1 content",
        "Function": "wheel_mouse_input",
        "Args": {"wheel_dist": -20},
        "Status": "CONTINUE",
        "Plan": ["Check whether the Conclusion heading is visible.", "Scroll further if needed."],
        "Comment": "Scrolling down towards the conclusion.",
    },
]
# More demonstrations in the same shape, written from a template: UFO's example file holds a dozen or
# more, each with a detailed observation, a multi-step plan and a comment.
_MORE = [
    (
        "Apply the Heading 1 style to the first line.",
        "Heading 1",
        "ListItem",
        "click_input",
        {"button": "left", "double": False},
    ),
    ("Make the selected sentence italic.", "Italic", "Button", "click_input", {"button": "left", "double": False}),
    ("Center the title.", "Center", "Button", "click_input", {"button": "left", "double": False}),
    (
        "Turn the list of names into a numbered list.",
        "Numbering",
        "Button",
        "click_input",
        {"button": "left", "double": False},
    ),
    ("Set the font size of the selection to 14.", "Font Size", "ComboBox", "set_edit_text", {"text": "14"}),
    ("Search the document for 'budget'.", "Search", "Edit", "set_edit_text", {"text": "budget"}),
    ("Save the document with Ctrl+S.", "Page 1 content", "Document", "keyboard_input", {"keys": "^s"}),
    ("Read the text of the first page.", "Page 1 content", "Document", "texts", {}),
    (
        "Highlight the selected sentence in yellow.",
        "Text Highlight Color",
        "Button",
        "click_input",
        {"button": "left", "double": False},
    ),
    ("Open the Insert tab.", "Insert", "TabItem", "click_input", {"button": "left", "double": False}),
    ("Add a footer with the page number.", "Footer", "Button", "click_input", {"button": "left", "double": False}),
    ("Select the second table of the document.", "", "", "select_table", {"number": 2}),
    ("Summarise what the document is about.", "", "", "summary", {"text": "A quarterly report on revenue and costs."}),
    ("Justify the body text.", "Justify", "Button", "click_input", {"button": "left", "double": False}),
    ("Show the formatting marks.", "Show/Hide ¶", "Button", "click_input", {"button": "left", "double": False}),
    (
        "Check the spelling of the document.",
        "Spelling & Grammar",
        "Button",
        "click_input",
        {"button": "left", "double": False},
    ),
]
for _i, (_req, _text, _type, _fn, _args) in enumerate(_MORE):
    _on = f"the {_type} '{_text}'" if _text else "the whole document"
    _DEMOS.append(
        {
            "request": _req,
            "Observation": (
                f"The window report.docx - Word is open and maximised, the ribbon shows the Home tab with its "
                f"Clipboard, Font, Paragraph, Styles and Editing groups, and the document displays page 1 of 7 "
                f"with the title, a summary paragraph and a table of figures. The previous action took effect: "
                f"the selection and the ribbon are as expected for this sub-task. The control item needed next "
                f"is {_on}, which is in the list of available control items."
            ),
            "Thought": (
                f"The user request is '{_req}' To make progress in one step I call {_fn} on {_on}. "
                f"This is the most direct action available in the current state and it is not sensitive."
            ),
            "ControlLabel": str(20 + _i) if _text else "",
            "ControlText": _text,
            "Function": _fn,
            "Args": _args,
            "Status": "CONTINUE" if _i % 3 else "FINISH",
            "Plan": [
                "Verify in the next observation that the action took effect on the document.",
                "If it did not, find the control item again in the updated control list and retry once.",
                "Report the result to the user in the Comment field and finish the sub-task.",
            ]
            if _i % 3
            else "<FINISH>",
            "Comment": f"Calling {_fn} on {_on} for the request '{_req}'",
        }
    )

_TIPS = [
    "When you type text into an edit box, first check that the box is empty or select its content so that it gets replaced.",
    "Prefer the app-level APIs (select_text, insert_table, select_table) over long sequences of clicks when they do the same.",
    "After a click that opens a menu or a dialog, the control list changes: look for the new items at the next step.",
    "When a control item with the needed text appears several times, choose the one whose control_type fits the action.",
]


# UFO documents these generic APIs for every app, next to the app's own.
_GENERIC_APIS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "click_on_coordinates",
        "Click on the window at relative coordinates (0 to 1 from the top left), when no control item fits.",
        {"x": {"type": "number"}, "y": {"type": "number"}, "button": {"type": "string", "enum": ["left", "right"]}},
    ),
    (
        "drag_on_coordinates",
        "Drag the mouse from one point of the window to another, in relative coordinates.",
        {
            "start_x": {"type": "number"},
            "start_y": {"type": "number"},
            "end_x": {"type": "number"},
            "end_y": {"type": "number"},
            "duration": {"type": "number", "default": 1.0},
        },
    ),
    (
        "annotation",
        "Take a screenshot with the given control items annotated, to look at them more closely.",
        {"control_labels": {"type": "array"}},
    ),
    ("no_action", "Do nothing at this step, e.g. to wait for the application to respond.", {}),
]


def _api_doc(space: ActionSpace) -> str:
    functions = [
        (fn.name, fn.description, fn.args_schema.get("properties") or {}, fn.targets_control)
        for fn in space.functions.values()
    ]
    functions += [(name, text, props, name != "no_action") for name, text, props in _GENERIC_APIS]
    parts = []
    for name, description, props, targets_control in functions:
        args = ", ".join(f"{arg}: {prop.get('type', 'str')}" for arg, prop in props.items())
        example = {arg: prop.get("default", prop["enum"][0] if "enum" in prop else 1) for arg, prop in props.items()}
        arg_lines = "\n".join(
            f"      - {arg}: The {arg.replace('_', ' ')} of the call"
            + (f", one of {prop['enum']}" if "enum" in prop else "")
            + (f", default {prop['default']}" if "default" in prop else "")
            + "."
            for arg, prop in props.items()
        )
        target = (
            "Any control item of the application window."
            if targets_control
            else "None: it acts on the whole application."
        )
        call = ", ".join(f"{k}={json.dumps(v)}" for k, v in example.items())
        parts.append(
            f'{name}:\n  summary: "{name}" is to {description[0].lower()}{description[1:]}\n'
            f"  usage:\n    [1] API call: {name}({args})\n    [2] Args:\n{arg_lines or '      - None.'}\n"
            f"    [3] Example: {name}({call})\n"
            f"    [4] Available control item: {target}\n    [5] Return: None, or the text read for texts and summary."
        )
    return "\n".join(parts)


def _demos() -> str:
    out = []
    for i, demo in enumerate(_DEMOS, 1):
        response = {k: v for k, v in demo.items() if k != "request"}
        response["SaveScreenshot"] = {"save": False, "reason": ""}
        out.append(f"Example {i}:\nRequest: {demo['request']}\nResponse: {json.dumps(response)}")
    return "\n\n".join(out)


def ufo_style_messages(body: dict[str, Any], space: ActionSpace) -> list[dict[str, str]]:
    """The chat messages a UFO-style AppAgent would send for this ``/predict_action`` body."""
    system = "\n\n".join(
        [
            _ROLE,
            _CONTROLS,
            "## Actions\n- You can use the following APIs to interact with the control items.\n" + _api_doc(space),
            _STATUS,
            _RESPONSE,
            "## Tips for the sub-task\n" + "\n".join(f"- {tip}" for tip in _TIPS),
            "## Examples\nHere are examples of requests and responses; use them as a reference.\n" + _demos(),
            _CLOSING,
        ]
    )
    controls = [
        {"label": c["label"], "control_text": c.get("name", ""), "control_type": c.get("control_type", "")}
        for c in body["observation"]["controls"]
    ]
    history = [
        {
            "Step": i + 1,
            "ControlLabel": s.get("control_label", ""),
            "ControlText": s.get("control_text", ""),
            "Function": s.get("function", ""),
            "Args": s.get("args", {}),
            "Status": s.get("status", "CONTINUE"),
            "Results": s.get("result", ""),
        }
        for i, s in enumerate(body.get("memory", {}).get("steps", []))
    ]
    user = "\n".join(
        [
            f"<Available Control Item:> {json.dumps(controls)}",
            f"<Previous Plan:> {json.dumps(body.get('memory', {}).get('plan', []))}",
            f"<Step Trajectories Completed Previously:> {json.dumps(history)}",
            "<Previous Sub-task:> []",
            f"<Current User Request:> {body['request']}",
            f"<Current Sub-task:> {body['request']}",
            "<Blackboard:> {}",
            "<Retrieved Help Documents:> No help document is available for this sub-task.",
            "<Your response:>",
        ]
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]

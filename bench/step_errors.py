"""Where one offline scoring's wrong steps go wrong (the breakdown RESULTS quotes).

    python -m bench.step_errors RESULT.json [--top N]

Each strictly wrong step is put in the first of: the wrong function (FINISH/FAIL with no action
count as functions here, ``<FINISH>``/``<FAIL>``), the right function on the wrong control, wrong
args, wrong status. Prints the counts and the most frequent (expected -> predicted) functions and
controls, then each task kind's *first* answers: an action, FINISH or FAIL. Why the last: whether a
task is feasible, impossible (FAIL) or already done (FINISH) is decided on its first step, and a
model that ends a feasible request there has answered "done" to it without acting; the table shows
whether the model tells the kinds apart or only leans one way. Reads ``lam eval offline``'s
RESULT.json or its ``.full.json.gz`` (``bench.paired.load``).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from bench import quiet_pipe
from bench.paired import load


def _function(answer: dict[str, Any] | None) -> str:
    """The answer's function, or ``<STATUS>`` for an answer with no action (``<->`` unanswered)."""
    answer = answer or {}
    action = answer.get("action")
    return action["function"] if action else f"<{answer.get('status', '-')}>"


def _control(answer: dict[str, Any] | None) -> str:
    return ((answer or {}).get("action") or {}).get("control_text") or ""


def step_errors(result: dict[str, Any]) -> dict[str, Counter[Any]]:
    """``kinds``: right / wrong function / wrong control / wrong args / wrong status, over every step;
    ``functions`` and ``controls``: (expected, predicted) pairs of the two largest kinds."""
    kinds: Counter[str] = Counter()
    functions: Counter[tuple[str, str]] = Counter()
    controls: Counter[tuple[str, str]] = Counter()
    for step in (s for t in result["tasks"] for s in t["steps"]):
        expected, predicted = step["expected"], step["predicted"]
        if step["strict_success"]:
            kinds["right"] += 1
        elif _function(expected) != _function(predicted):
            kinds["wrong function"] += 1
            functions[_function(expected), _function(predicted)] += 1
        elif not step["object_ok"]:
            kinds["right function, wrong control"] += 1
            controls[_control(expected), _control(predicted)] += 1
        elif not step["args_ok"]:
            kinds["wrong args"] += 1
        else:
            kinds["wrong status"] += 1
    return {"kinds": kinds, "functions": functions, "controls": controls}


FIRST_ANSWERS = ("action", "FINISH", "FAIL")  # the columns of the first-answers table; anything else is "other"


def first_answers(result: dict[str, Any]) -> dict[str, Counter[str]]:
    """Per task kind, what the model answered on each task's first judged step: ``action``,
    ``FINISH``, ``FAIL`` (with no action) or ``-`` (unanswered)."""
    answers: dict[str, Counter[str]] = {}
    for task in result["tasks"]:
        if not task["steps"]:
            continue
        predicted = task["steps"][0]["predicted"] or {}
        answer = "action" if predicted.get("action") else str(predicted.get("status", "-"))
        answers.setdefault(str(task.get("kind", "-")), Counter())[answer] += 1
    return answers


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("result", type=Path)
    parser.add_argument("--top", type=int, default=8, help="pairs shown of each kind (default 8)")
    args = parser.parse_args(argv)
    result = load(args.result)
    errors = step_errors(result)
    print(f"{sum(errors['kinds'].values())} steps: " + ", ".join(f"{k} {n}" for k, n in errors["kinds"].most_common()))
    for name in ("functions", "controls"):
        print(f"{name}, expected -> predicted:")
        for (expected, predicted), n in errors[name].most_common(args.top):
            print(f"  {n:>4}  {expected!r} -> {predicted!r}")
    print("first answers by task kind (tasks: action / FINISH / FAIL):")
    for kind, answers in sorted(first_answers(result).items()):
        counts = " / ".join(str(answers[a]) for a in FIRST_ANSWERS)
        others = sum(n for a, n in answers.items() if a not in FIRST_ANSWERS)
        print(f"  {kind:<13} {sum(answers.values()):>4}: {counts}" + (f" (other {others})" if others else ""))


if __name__ == "__main__":
    quiet_pipe.run(main)  # read by `head`: stop quietly

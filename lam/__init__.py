"""Evaluation and data tools around the LAM service: a simulated Word, tasks with an expert,
offline/online evaluators, UFO-format import/export and a typed client.

Nothing here is imported by ``service``: the service must not depend on its own test bench.
"""

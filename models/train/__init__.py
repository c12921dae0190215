"""Training recipe of our LAM: the four phases of *Large Action Models* (Microsoft, 2024), in miniature.

One LoRA adapter is carried through the phases, each starting from the previous one's output
(``--init``), so that what ships is one small delta on the base (``models/<card>/adapter``):

    phase1  task-plan pretraining: request -> plan                         (``phase1.py``)
    phase2  learning from the expert: state -> action, target tokens only  (``phase2.py``)
    phase3  self-boosting: the model tries the tasks a limited expert fails, successes retrain it
    reward  a scalar-head reward model on LAM3, +1/-1 step labels, MSE      (``reward.py``)
    phase4  offline RL: DPO on reward-ranked action pairs of failed trajectories (``phase4.py``)

Prompts and targets come from the service's own renderers (``service.prompt.build_prompt`` and the
output format's ``render``) and are tokenized as vLLM's chat endpoint does, so the model learns
exactly what it is asked and parsed at serving time. Runs in the engine environment (torch,
transformers, peft), from the repository root: ``python -m models.train --help``.

Below the phases: ``options.py`` (each command's flags, parsed once into a frozen dataclass),
``config.py`` (a run's ``config.json``), ``modeling.py`` and ``lora.py`` (loading, the adapter),
``schedule.py`` (batch order, learning rate), ``loop.py`` (the training loop), ``checkpoints.py``
(the run folder), ``sft.py`` and ``losses.py``; the data: ``data.py`` (rendering, tokens),
``expert.py``, ``augment.py``/``augment_options.py``, ``rephrase.py`` and ``wordings/`` (YAML); the
model in the simulator (phases 3 and 4): ``rollout.py`` plays a ``policy.py`` policy, decoded in-process
(``decode.py``) or answered by a running service (``served.py``), and ``dagger.py`` relabels its states.
"""

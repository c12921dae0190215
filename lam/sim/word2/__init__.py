"""The next Word simulator: WordApp's API, Word's real screens (lam.sim.word_ui), effects as data."""

from lam.sim.word2.window import Shown, WordWindow, is_error

__all__ = ["Shown", "WordWindow", "is_error"]

from lam.sim.word2 import behaviours as _behaviours  # noqa: F401  (each area registers itself)

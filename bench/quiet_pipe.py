"""Run a printing command so that a reader who leaves early (``| head``) ends it quietly.

The Python docs' advice for SIGPIPE: catch BrokenPipeError, point stdout at devnull so the
interpreter's own flush at exit cannot raise again, and exit with status 1. The flush happens inside
the ``try``: a buffered pipe is only written there, not at exit.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def run(main: Callable[[], None]) -> None:
    """``main()``, then its output flushed; a closed pipe ends it with status 1 and no traceback."""
    try:
        main()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)

"""A deterministic, pure-Python stand-in for Microsoft Word, driven by the ``word`` action space."""

from lam.sim.app import WordApp, is_error
from lam.sim.document import Document, Format, PageBreak, Paragraph, Run, Table

__all__ = ["Document", "Format", "PageBreak", "Paragraph", "Run", "Table", "WordApp", "is_error"]

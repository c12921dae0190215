"""Word for Microsoft 365's window as UI Automation reports it: a data catalog and its loader."""

from lam.sim.word_ui.catalog import (
    COLLAPSE_THRESHOLD,
    CONTROL_TYPES,
    WIDTHS,
    Catalog,
    CatalogError,
    UiControl,
    Width,
    load_catalog,
    screen,
)

__all__ = [
    "COLLAPSE_THRESHOLD",
    "CONTROL_TYPES",
    "WIDTHS",
    "Catalog",
    "CatalogError",
    "UiControl",
    "Width",
    "load_catalog",
    "screen",
]

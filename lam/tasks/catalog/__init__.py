"""The task catalog: task families, infeasible families and value pools as YAML data (see loader)."""

from lam.tasks.catalog.loader import (
    CATALOG_DIR,
    KINDS,
    TARGETS,
    Catalog,
    CatalogError,
    Family,
    InfeasibleFamily,
    Pool,
    load_catalog,
    load_families,
    load_infeasible,
    load_pools,
)

__all__ = [
    "CATALOG_DIR",
    "KINDS",
    "TARGETS",
    "Catalog",
    "CatalogError",
    "Family",
    "InfeasibleFamily",
    "Pool",
    "load_catalog",
    "load_families",
    "load_infeasible",
    "load_pools",
]

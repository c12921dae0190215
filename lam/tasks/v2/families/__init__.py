"""Families of the catalog beyond character formatting and case (those live in ``ops.py``), one
module per category: each defines ``OPS: dict[str, OpKind]`` and may define ``UNSUPPORTED:
dict[str, str]`` (family -> why the simulator cannot carry it out yet). ``lam.tasks.v2.registry``
merges them; a module adds a category by existing."""

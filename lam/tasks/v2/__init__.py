"""The catalog-driven task generator (v2): targets, ops, experts on lam.sim.word2 and the checker."""

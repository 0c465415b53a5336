"""JSON API of curriculum.items."""

from ninja import Router

router = Router(tags=["curriculum"])

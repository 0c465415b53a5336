"""JSON API of curriculum.resources."""

from ninja import Router

router = Router(tags=["curriculum"])

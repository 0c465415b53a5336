"""Domain errors raised by services; the API turns them into 4xx responses with the message."""


class DomainError(Exception):
    """A request that breaks a rule of the domain. ``status`` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The object does not exist or the user may not know it exists (always 404, never 403)."""

    status = 404


class PermissionDenied(DomainError):
    """The user may see the object but not do this to it."""

    status = 403


class Conflict(DomainError):
    status = 409

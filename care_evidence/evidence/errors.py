"""Errors a caller of the engine branches on."""


class QueryError(ValueError):
    """The query cannot be used; the message says why."""

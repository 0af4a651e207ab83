"""The service layer: what the views and commands do to the data, in one place each."""


class ServiceError(Exception):
    """A domain rule refused the action; the message is for the user (bokmål)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(ServiceError):
    """Someone else changed the same thing first."""

"""The error every action raises for bad input: a Chinese message for the user, optionally per field."""


class ActionError(Exception):
    """Input or state that an action refuses; nothing was written."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

"""Domain errors: raised by operations, turned into form errors, flashes or 4xx by views."""


class PlannerError(Exception):
    """Base class of every error a user can cause and should be told about."""


class NotFound(PlannerError):
    """The object does not exist or this person may not see it."""


class NotAllowed(PlannerError):
    """This person may not do this."""


class ChangedMeanwhile(PlannerError):
    """Someone else changed the object since it was loaded (optimistic locking)."""

    def __init__(self, what: str = "This item") -> None:
        super().__init__(f"{what} was changed by someone else meanwhile. Reload and try again.")


class InvalidInput(PlannerError):
    """A value a person entered cannot be used; the message says why."""

"""The one exception users see for bad input."""

from __future__ import annotations

from collections.abc import Callable


class StudioConfigError(ValueError):
    """Invalid input to a construct or to the domain spec, raised at synth time.

    The message always names the field, the value received and what is allowed.
    Several related problems found at once are joined into one message.
    """

    def __init__(self, field: str, value: object, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        self.parts: list[StudioConfigError] = [self]
        super().__init__(f"{field}: got {value!r}; {allowed}")

    @classmethod
    def combine(cls, errors: list[StudioConfigError]) -> StudioConfigError:
        """One error that carries every message of ``errors`` (at least one)."""
        if len(errors) == 1:
            return errors[0]
        errors = [p for e in errors for p in e.parts]
        combined = cls.__new__(cls)
        combined.field = ", ".join(e.field for e in errors)
        combined.value = [e.value for e in errors]
        combined.allowed = "; ".join(e.allowed for e in errors)
        combined.parts = [p for e in errors for p in e.parts]
        ValueError.__init__(combined, f"{len(errors)} problems:\n" + "\n".join(f"  - {e}" for e in errors))
        return combined


def collect(*checks: Callable[[], object]) -> None:
    """Run every check and raise one :class:`StudioConfigError` naming all that failed."""
    problems: list[StudioConfigError] = []
    for check in checks:
        try:
            check()
        except StudioConfigError as err:
            problems.append(err)
    if problems:
        raise StudioConfigError.combine(problems)

"""One base error for blilyst and one subclass per kind of failure.

Every message says what was wrong and what to do about it. The CLI turns these into one
line and a non-zero exit code; the web app shows them to the user. The core packages
(`stats`, `demography`, `plan`) raise them and never import Django.
"""

from __future__ import annotations


class BlilystError(Exception):
    """Something went wrong that the user can understand and act on."""

    exit_code = 1


class UnknownMunicipality(BlilystError, LookupError):
    """A municipality code or name could not be resolved to one municipality."""

    def __init__(self, text: str, suggestions: list[str] | None = None, reason: str = "unknown"):
        self.text = text
        self.suggestions = list(suggestions or [])
        self.reason = reason  # "unknown" or "ambiguous"
        from blilyst.i18n import gettext as _

        if reason == "ambiguous":
            msg = _("'{text}' matches more than one municipality.").format(text=text)
        else:
            msg = _("No municipality matches '{text}'.").format(text=text)
        if self.suggestions:
            msg += " " + _("Did you mean: {suggestions}?").format(suggestions=", ".join(self.suggestions))
        else:
            msg += " " + _("Give a four-digit municipality number (e.g. 4036) or a name (e.g. Vinje).")
        super().__init__(msg)


class SsbError(BlilystError):
    """A problem talking to Statistics Norway (SSB)."""


class SsbUnavailable(SsbError):
    """SSB could not be reached (no network, timeout, DNS failure)."""


class SsbResponseError(SsbError):
    """SSB answered, but with an error status or a response blilyst cannot read."""

    def __init__(self, message: str, status: int | None = None, url: str | None = None):
        self.status = status
        self.url = url
        super().__init__(message)


class UnknownTable(SsbResponseError):
    """The SSB table id does not exist."""


class CacheError(BlilystError):
    """A cached response on disk is unreadable (it is discarded and fetched again)."""


class SnapshotError(BlilystError):
    """The bundled or local data snapshot is missing or corrupt."""


class ImportFileError(BlilystError):
    """An uploaded or imported file (CSV, JSON, XLSX) is malformed."""


class InputError(BlilystError, ValueError):
    """Bad input to a calculation: names the field and what is wrong with it."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class NegativePopulation(InputError):
    """Migration would make a stock negative; ``where`` is (step, region index, sex index, age, value)
    so a caller that knows the region codes and the base year can name them."""

    def __init__(self, field: str, problem: str, where: tuple[int, int, int, int, float]):
        super().__init__(field, problem)
        self.where = where

"""The finder's measure vocabulary: what a user may ask for, and the kind of cooperation it is.

A measure may be named the way the treaty data does (a Cooperation value), the way a request
is typed (cooperation.RequestType) or the way a single measure in a request is named
(cooperation.Measure). Each resolves to the one Cooperation an instrument must cover.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from comity.cooperation.models import Measure, RequestType
from comity.treaties.models import Cooperation

_C = Cooperation

# Request types, as the request form names them.
REQUEST_TYPE_COOPERATION: dict[str, Cooperation] = {
    RequestType.MLA: _C.MLA,
    RequestType.EXTRADITION: _C.EXTRADITION,
    RequestType.PROVISIONAL_ARREST: _C.EXTRADITION,
    RequestType.FREEZING: _C.CONFISCATION,
    RequestType.SEIZURE: _C.CONFISCATION,
    RequestType.CONFISCATION: _C.CONFISCATION,
    RequestType.ASSET_RETURN: _C.CONFISCATION,
    RequestType.RECORDS_EXTRACT: _C.CRIMINAL_RECORDS,
    RequestType.CONVICTION_NOTICE: _C.CRIMINAL_RECORDS,
    RequestType.TRANSFER_OF_PROCEEDINGS: _C.TRANSFER_OF_PROCEEDINGS,
}

# Single measures within a request.
MEASURE_COOPERATION: dict[str, Cooperation] = {
    Measure.BANK_RECORDS: _C.MLA,
    Measure.WITNESS_STATEMENT: _C.MLA,
    Measure.SUSPECT_INTERVIEW: _C.MLA,
    Measure.DOCUMENTS: _C.MLA,
    Measure.SEARCH_AND_SEIZURE: _C.MLA,
    Measure.SERVICE_OF_DOCUMENTS: _C.MLA,
    Measure.IDENTIFY_LOCATE: _C.MLA,
    Measure.FREEZE_ASSETS: _C.CONFISCATION,
    Measure.CONFISCATE_ASSETS: _C.CONFISCATION,
    Measure.EXPERT_EVIDENCE: _C.MLA,
    Measure.VIDEO_HEARING: _C.MLA,
    Measure.TEMPORARY_TRANSFER: _C.MLA,
    Measure.ARREST: _C.EXTRADITION,
    Measure.CRIMINAL_RECORD: _C.CRIMINAL_RECORDS,
    Measure.OTHER: _C.MLA,
}

# Everything the finder accepts, most general first; Cooperation values win a clash
# ("confiscation", "extradition" and "mla" are spelt alike in all three vocabularies).
VOCABULARY: dict[str, Cooperation] = {
    **MEASURE_COOPERATION,
    **REQUEST_TYPE_COOPERATION,
    **{value: Cooperation(value) for value in Cooperation.values},
}


class FinderError(ValueError):
    """Input the finder refuses. ``field`` names the input, str(error) says why (translated)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalize_measure(value: str) -> str:
    """The vocabulary spelling of ``value``: case, spaces and hyphens do not matter."""
    return "_".join(value.strip().lower().replace("-", " ").split())


def resolve_measure(value: str) -> Cooperation:
    """The kind of cooperation ``value`` asks for; FinderError("measure") if unknown."""
    key = normalize_measure(value or "")
    if not key:
        raise FinderError("measure", _("Give the measure, e.g. mla or extradition."))
    try:
        return VOCABULARY[key]
    except KeyError:
        raise FinderError(
            "measure",
            _("Unknown measure %(value)s. Choose one of: %(allowed)s.")
            % {"value": value.strip()[:40], "allowed": ", ".join(sorted(VOCABULARY))},
        ) from None


def measure_choices() -> list[tuple[str, str]]:
    """(value, label) for a form: the request types, then the kinds of cooperation they lack."""
    choices = [(str(value), str(label)) for value, label in RequestType.choices]
    taken = {value for value, _label in choices}
    choices += [
        (str(value), str(label)) for value, label in Cooperation.choices if value not in taken
    ]
    return choices

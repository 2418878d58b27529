"""Choice labels are translated once per language and then looked up."""

from __future__ import annotations

from django.utils import translation

from comity.cooperation.lifecycle import Status
from comity.cooperation.models import Urgency
from comity.core.choices import labels


def test_labels_follow_the_active_language() -> None:
    with translation.override("en"):
        english = labels(Status)[Status.EXECUTED]
    with translation.override("ru"):
        russian = labels(Status)[Status.EXECUTED]
    with translation.override("fa"):
        persian = labels(Status)[Status.EXECUTED]
    assert english == "Executed"
    assert len({english, russian, persian}) == 3
    with translation.override("ru"):
        assert labels(Status)[Status.EXECUTED] == russian  # the kept dict, same answer


def test_each_label_is_the_one_the_model_field_shows() -> None:
    for language in ("en", "ru", "fa", "ps"):
        with translation.override(language):
            for value, text in Urgency.choices:
                assert labels(Urgency)[value] == str(text)

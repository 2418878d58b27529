from __future__ import annotations

from comity.core.text import fold


def test_cyrillic_case_does_not_matter() -> None:
    assert fold("НУРЛАН Ахметов") == fold("нурлан ахметов")


def test_arabic_yeh_and_kaf_find_the_persian_letters() -> None:
    assert fold("علي كريمي") == fold("علی کریمی")


def test_a_zero_width_non_joiner_does_not_matter() -> None:
    assert fold("عبد\u200cالله") == fold("عبدالله")

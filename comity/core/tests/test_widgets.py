from __future__ import annotations

from django import forms

from comity.core.widgets import FastSelect


class _Form(forms.Form):
    colour = forms.ChoiceField(
        label="Colour",
        choices=[("", "Any"), ("red", "Red & <b>bold</b>"), ("blue", "Blue")],
        required=False,
        help_text="Pick one.",
        widget=FastSelect(attrs={"class": "form-select"}),
    )


def test_it_renders_the_same_options_as_djangos_select() -> None:
    fast = str(_Form({"colour": "red"})["colour"])
    assert fast.startswith("<select ")
    assert 'class="form-select"' in fast
    assert 'name="colour"' in fast
    assert 'id="id_colour"' in fast
    assert 'aria-describedby="id_colour_helptext"' in fast
    assert '<option value="red" selected>Red &amp; &lt;b&gt;bold&lt;/b&gt;</option>' in fast
    assert '<option value="blue">Blue</option>' in fast
    assert fast.count("selected") == 1


def test_nothing_is_selected_for_an_unknown_value() -> None:
    assert "selected" not in str(_Form({"colour": "green"})["colour"])

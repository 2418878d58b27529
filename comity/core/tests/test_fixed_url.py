"""{% fixed_url %} gives what {% url %} gives, remembered per URL configuration and script
prefix."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import override_settings
from django.urls import NoReverseMatch, path, reverse, set_script_prefix

from comity.core.templatetags.comity_urls import fixed_url


def _render(source: str) -> str:
    return engines["django"].from_string(source).render({})


@pytest.mark.parametrize(
    "name", ["web:dashboard", "cooperation:list", "cooperation:create", "accounts:logout"]
)
def test_it_renders_what_the_url_tag_renders(name: str) -> None:
    assert _render(f"{{% fixed_url '{name}' %}}") == _render(f"{{% url '{name}' %}}")
    assert fixed_url(name) == reverse(name)


def test_it_can_be_kept_in_a_variable() -> None:
    assert _render("{% fixed_url 'cooperation:list' as here %}[{{ here }}]") == (
        f"[{reverse('cooperation:list')}]"
    )


def test_a_script_prefix_is_honoured_each_time() -> None:
    plain = fixed_url("cooperation:list")
    set_script_prefix("/comity/")
    try:
        assert fixed_url("cooperation:list") == "/comity" + plain
    finally:
        set_script_prefix("/")
    assert fixed_url("cooperation:list") == plain


def _view(request: HttpRequest) -> HttpResponse:  # pragma: no cover (only reversed)
    return HttpResponse()


urlpatterns = [path("elsewhere/", _view, name="dashboard_elsewhere")]


def test_a_new_url_configuration_is_not_answered_from_the_old_one() -> None:
    assert fixed_url("web:dashboard") == reverse("web:dashboard")
    with override_settings(ROOT_URLCONF=__name__):
        assert fixed_url("dashboard_elsewhere") == "/elsewhere/"
        with pytest.raises(NoReverseMatch):
            fixed_url("web:dashboard")
    with pytest.raises(NoReverseMatch):
        fixed_url("dashboard_elsewhere")
    assert fixed_url("web:dashboard") == reverse("web:dashboard")

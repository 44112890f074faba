"""LongSelect writes the same HTML as Django's template-rendered <select>, only faster."""

import pytest
from django import forms

from trackii.audit.forms import AuditSearchForm
from trackii.inputs import LongSelect

CHOICES = [("", "Any"), ("a&b", 'Quote " and <tag>'), ("2", "Two"), ("é", "Accents é 🕊")]


@pytest.mark.parametrize("value", [None, "", "a&b", "2", ["2"], "missing"])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_x", "required": True, "disabled": False, "aria-describedby": "x_help x_error"}],
)
def test_long_select_writes_what_django_select_writes(value, attrs):
    assert LongSelect(choices=CHOICES).render("x", value, attrs) == forms.Select(choices=CHOICES).render(
        "x", value, attrs
    )


def test_long_select_writes_option_groups_as_django_does():
    grouped = [("", "Any"), ("Group <1>", [("1", "One"), ("2", "Two")]), ("3", "Three")]
    assert LongSelect(choices=grouped).render("g", "2") == forms.Select(choices=grouped).render("g", "2")


@pytest.mark.parametrize("data", [None, {"action": "view"}, {"action": "no-such-action"}])
def test_audit_search_form_renders_as_before(data):
    # The whole field group (label, help, errors, aria) with LongSelect and with Django's own Select.
    form = AuditSearchForm(data)
    if data:
        form.is_valid()
    before = AuditSearchForm(data)
    before.fields["action"].widget = forms.Select(choices=before.fields["action"].choices)
    if data:
        before.is_valid()
    assert "<option" in str(form["action"])
    assert form["action"].as_field_group() == before["action"].as_field_group()

"""Values read from a request, strictly, so that nothing a browser or a script can send ends in a 500.

`str.isdigit()` is true for "²" and "٣", which `int()` refuses or reads as another digit, and Python's dates
stop at years 1 and 9999, so a day either side of them, a zone offset or a month's last day overflows. Ids are
ASCII digits that fit a bigint; dates and times lie in a range the calendar arithmetic can never leave."""

import datetime as dt
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

ID_PATTERN = re.compile(r"[0-9]{1,18}")  # 18 digits always fit PostgreSQL's bigint

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)
# Worded in the reader's language when shown, not at import.
RANGE_MESSAGE = lazy(
    lambda: (
        gettext("Give a date between %(earliest)s and %(latest)s.")
        % {"earliest": EARLIEST.year, "latest": LATEST.year}
    ),
    str,
)()

# Characters that change how a text reads without being seen: bidi embeddings, overrides and isolates (an
# override makes "gol.exe" read "exe.log"). Joiners and the direction marks (U+200C to U+200F) stay: scripts
# such as Persian need them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
HIDDEN_CHARACTERS_MESSAGE = gettext_lazy(
    "Remove the invisible control characters (such as a null character or a right-to-left override): "
    "they can hide or reorder what others read."
)


def parse_id(value) -> int | None:
    """An object id from a query or form value, or None for anything but ASCII digits that fit a bigint."""
    if isinstance(value, str) and ID_PATTERN.fullmatch(value):
        return int(value)
    return None


def in_range(value: dt.date) -> bool:
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST <= day <= LATEST


def validate_in_range(value: dt.date) -> None:
    if value is not None and not in_range(value):
        raise ValidationError(RANGE_MESSAGE, code="out_of_range")


def plain_text(value: str, *, multiline: bool = True) -> str:
    """Free text as it will be stored: Windows and old Mac line ends made "\\n", outer white space stripped.
    A control character (NUL and the like; a line break where `multiline` is false), a bidi override or
    isolate, a line or paragraph separator or a lone surrogate is refused with a ValidationError, rather than
    quietly dropped, so that what is stored is what the writer sees."""
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    allowed = {"\n", "\t"} if multiline else set()
    for char in text:
        if char in allowed:
            continue
        if char in BIDI_CONTROLS or unicodedata.category(char) in {"Cc", "Cs", "Zl", "Zp"}:
            raise ValidationError(HIDDEN_CHARACTERS_MESSAGE, code="hidden_characters")
    return text


class BoundedDateField(forms.DateField):
    """A date between EARLIEST and LATEST; anything else is an error next to the field."""

    default_validators = [validate_in_range]


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time between EARLIEST and LATEST (a day's margin for any zone's offset either way)."""

    default_validators = [validate_in_range]


def _attrs_html(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html writes for these attributes."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class LongSelect(forms.Select):
    """A <select> with many options (the audit search's ninety actions), written in Python: Django's template
    includes a template per option, 4 to 5 ms of CPU for ninety of them on every audit page (issue 17). The
    HTML is the same as forms.Select's, character for character (tests/test_inputs_select.py)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            html.extend(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                for option in options
            )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)

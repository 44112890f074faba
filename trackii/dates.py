"""Dates as the reader's language writes them (issue 22). Django's formats are the language's own; two
things they leave to the caller are settled here, for every page, PDF and e-mail."""

from django.utils.translation import get_language

# Languages whose month names change form after a day's number (Django's "E": "7 декабря").
DAY_MONTH_CASE = frozenset({"ru", "uk", "be", "pl", "cs", "sk", "hr", "lt", "el", "hy", "ka"})


def localised(fmt: str, *, after_day: bool = False) -> str:
    """A date format for the active language: Django's "M" capitalises a month's abbreviation ("Déc", "Дек"),
    which French and Russian write in lower case mid-sentence ("7 déc 2026"), as "b" does; next to a day's
    number (or, with `after_day`, after one printed elsewhere), a month's name takes the form "E" gives
    ("7 декабря", not "7 Декабрь"). English keeps its formats ("7 Dec 2026"); a script without case reads
    the same either way."""
    language = (get_language() or "en").split("-")[0]
    if "\\" in fmt or language == "en":
        return fmt
    fmt = fmt.replace("M", "b")
    if language in DAY_MONTH_CASE and (after_day or "j" in fmt or "d" in fmt):
        fmt = fmt.replace("F", "E")
    return fmt

"""Dates in the reader's language: a day and its month as that language writes them (issue 22)."""

from django.utils.formats import get_format


def day_month(fmt: str) -> str:
    """`fmt` with "j F" (the day, then the month) as the active language writes a date: "10 марта" in Russian,
    whose own DATE_FORMAT takes the month's genitive ("E"), "10 mars" in French, "10 March" in English."""
    if "E" in get_format("DATE_FORMAT"):
        return "E" if fmt == "F" else fmt.replace("j F", "j E")
    return fmt

"""The languages a summary may be written in (issue 22): its main language and its parallel versions.

A code is ISO 639-1, each language named in itself (how its readers look for it), with its direction. The
list holds the interface's languages and those of the conflicts Trackii's dialogues sit on, as far as the
sealed PDF's fonts cover their script (trackii/sealing/pdf_fonts.py: Latin, Greek, Cyrillic, Armenian,
Georgian, Hebrew, Arabic, Devanagari, vendored; Chinese, Japanese and Korean from Debian's fonts-noto-cjk,
which the project installs and pins). A character no font covers is refused before sealing, never a box.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from trackii.accounts.languages import supported


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself
    rtl: bool = False

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English"),
    Language("fr", "Français"),
    Language("ru", "Русский"),
    Language("ar", "العربية", rtl=True),
    Language("uk", "Українська"),
    Language("hy", "Հայերեն"),
    Language("az", "Azərbaycan dili"),
    Language("ka", "ქართული"),
    Language("tr", "Türkçe"),
    Language("he", "עברית", rtl=True),
    Language("fa", "فارسی", rtl=True),
    Language("ur", "اردو", rtl=True),
    Language("hi", "हिन्दी"),
    Language("zh", "中文"),
    Language("ja", "日本語"),
    Language("ko", "한국어"),
    Language("de", "Deutsch"),
    Language("es", "Español"),
)
BY_CODE = {language.code: language for language in LANGUAGES}
CHOICES = [(language.code, language.name) for language in LANGUAGES]
DEFAULT = "en"


def language(code: str) -> Language:
    """The language of a code on the list; a code that is not on it reads as English."""
    return BY_CODE.get(code, BY_CODE[DEFAULT])


def summary_language_for(interface_code: str | None) -> str:
    """The summary language matching an interface language ("en-gb" -> "en", "fr" -> "fr"), else English."""
    base = (interface_code or "").split("-")[0].lower()
    return base if base in BY_CODE else DEFAULT


def interface_language(code: str) -> str:
    """The interface language a sealed PDF's own labels are printed in for a summary written in `code`: the
    same language where Trackii is translated into it, else English (the source language)."""
    return supported(code) or settings.LANGUAGE_CODE


def reader_version(codes: list[str], main: str) -> str:
    """The version a reader sees first: the one in their interface language if there is one, else the main."""
    wanted = summary_language_for(translation.get_language())
    return wanted if wanted in codes else main

"""Which language a person reads Trackii in: the page they open and the e-mails they are sent (issue 22).

A person's own choice (`User.language`) wins; without one, a page follows the browser (LocaleMiddleware) and
an e-mail the first interface language among the languages on their record, else Trackii's default.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_supported_language_variant

INTERFACE_LANGUAGES = tuple(code for code, _ in settings.LANGUAGES)


def supported(code: str | None) -> str | None:
    """The interface language for a code such as "fr-CA" or "ru", or None when Trackii has none for it."""
    if not code:
        return None
    try:
        return get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


def language_of(user, *, spoken: list[str] | None = None) -> str:
    """The language to write to `user` in: their choice, else the first of `spoken` Trackii has, else English.

    `spoken` is a person's `languages` (codes) for someone who has never chosen, or has no login yet.
    """
    chosen = supported(getattr(user, "language", "") or "")
    if chosen:
        return chosen
    for code in spoken or ():
        found = supported(code)
        if found:
            return found
    return settings.LANGUAGE_CODE


@contextmanager
def writing_to(user, *, spoken: list[str] | None = None):
    """Render what is inside (an e-mail's subject and body) in the language `user` reads, `language_of`'s
    answer; `user` may be None for someone without a login, then `spoken` decides. Yields that code.

        with writing_to(person.user, spoken=person.languages):
            body = render_to_string("…/email.txt", context)
            subject = str(SUBJECT)   # a lazy string must be made text inside the block
    """
    code = language_of(user, spoken=spoken)
    with translation.override(code):
        yield code

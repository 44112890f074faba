"""A summary in more than one language (issue 22): the main version's language, and parallel versions added,
edited and removed while the summary is a draft. They are reviewed in the same round, checked by the same
attribution guard and sealed under the same seal as the main version (drafts.py, review.py, sealing.py)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dialogues.languages import BY_CODE, language
from dialogues.models import Summary, SummaryTranslation
from dialogues.summaries.services.drafts import locked_draft
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event

# A version's text, like the main one's, stays within what an editor and a sealed PDF can carry.
MAX_VERSION_LENGTH = 200_000


def check_language(code: str, *, field: str = "language") -> str:
    """The code if it is on the list of summary languages (dialogues/languages.py), else a refusal."""
    code = (code or "").strip()
    if code not in BY_CODE:
        raise ValidationError({field: _("Choose a language from the list.")})
    return code


@transaction.atomic
def set_summary_language(*, summary: Summary, language_code: str, by: User) -> Summary:
    """The language the main version is written in. A parallel version already in that language must go
    first: a summary holds each language once."""
    code = check_language(language_code)
    summary = locked_draft(summary)
    if code == summary.language:
        return summary
    if summary.translations.filter(language=code).exists():
        raise ValidationError(
            {
                "language": _(
                    "This summary already has a parallel version in %(language)s. Remove it first, or "
                    "choose another language."
                )
                % {"language": language(code).name}
            }
        )
    summary.language = code
    summary.save(update_fields=["language"])
    record_event(actor=by, action=Action.SUMMARY_LANGUAGE_SET, target=summary, detail={"language": code})
    return summary


@transaction.atomic
def save_parallel_version(*, summary: Summary, language_code: str, body: str, by: User) -> SummaryTranslation:
    """Add the version in `language_code`, or save its new text; the same text again changes nothing."""
    code = check_language(language_code)
    summary = locked_draft(summary)
    if code == summary.language:
        raise ValidationError(
            {"language": _("The summary itself is written in this language. Choose another language.")}
        )
    if not body.strip():
        raise ValidationError(
            {"body": _("The version is empty. Write it, or remove the version if it is not needed.")}
        )
    if len(body) > MAX_VERSION_LENGTH:
        raise ValidationError({"body": _("The version is too long to be sealed.")})
    version = summary.translations.filter(language=code).first()
    if version is None:
        version = SummaryTranslation.objects.create(summary=summary, language=code, body=body)
    elif version.body == body:
        return version
    else:
        version.body = body
        version.save(update_fields=["body"])
    record_event(actor=by, action=Action.SUMMARY_VERSION_SAVED, target=summary, detail={"language": code})
    return version


@transaction.atomic
def remove_parallel_version(*, summary: Summary, language_code: str, by: User) -> bool:
    """Remove the version in `language_code`; its review comments stay, about a version no longer there.
    Returns whether there was one to remove."""
    code = check_language(language_code)
    summary = locked_draft(summary)
    version = summary.translations.filter(language=code).first()
    if version is None:
        return False
    version.delete()
    record_event(actor=by, action=Action.SUMMARY_VERSION_REMOVED, target=summary, detail={"language": code})
    return True

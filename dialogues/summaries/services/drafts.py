"""Writing a summary: its draft (started once the workshop has taken place, saved, mentions accepted in the
attribution check) and an amendment of a sealed version. The refusals every later step shares live here
too: no attendee recorded, names still flagged by the attribution check."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dialogues.enums import SummaryStatus, WorkshopStatus
from dialogues.languages import summary_language_for
from dialogues.models import Summary, SummaryTranslation, Workshop
from dialogues.permissions import OPEN_STATUSES
from dialogues.summaries import attribution
from dialogues.summaries.selectors import Version, attendees, attribution_findings, opening_body
from trackii.accounts.languages import language_of
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.db import next_number

NO_ATTENDEE = gettext_lazy(
    "Nobody is recorded as having attended this workshop. Record attendance first: the summary is reviewed "
    "by, and sealed for, the people who were in the room."
)


def _refuse_without_attendees(workshop: Workshop) -> None:
    if not attendees(workshop=workshop).exists():
        raise ValidationError(NO_ATTENDEE)


def _locked(summary: Summary) -> Summary:
    return Summary.objects.select_for_update().select_related("workshop__series__dialogue").get(pk=summary.pk)


@transaction.atomic
def start_summary(*, workshop: Workshop, by: User) -> Summary:
    """The workshop's draft: the one being written if there is one, else a new first version. Only a workshop
    that has taken place has a summary."""
    if workshop.status == WorkshopStatus.CANCELLED or workshop.starts_at > timezone.now():
        raise ValidationError(_("A summary is written once the workshop has taken place."))
    Workshop.objects.select_for_update().get(pk=workshop.pk)
    current = workshop.summaries.filter(status__in=OPEN_STATUSES).first()
    if current is not None:
        return current
    _refuse_without_attendees(workshop)
    if workshop.summaries.exists():
        raise ValidationError(_("This workshop's summary is sealed. Amend it to make a new version."))
    summary = Summary.objects.create(
        workshop=workshop,
        version=1,
        body=opening_body(workshop=workshop),
        # The drafter's interface language, where it is a summary language; they may change it while drafting.
        language=summary_language_for(language_of(by)),
        created_by=by,
    )
    record_event(actor=by, action=Action.SUMMARY_STARTED, target=summary)
    return summary


def locked_draft(summary: Summary) -> Summary:
    """The summary, locked for the caller's transaction, if it is a draft: else a refusal saying why it can no
    longer be edited. Every edit of a draft's text (main or parallel version, its language) starts here."""
    summary = _locked(summary)
    if summary.status != SummaryStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be edited. Close the review first, then take in the corrections.")
            if summary.status == SummaryStatus.IN_REVIEW
            else _("This version can no longer be edited.")
        )
    return summary


@transaction.atomic
def save_draft(*, summary: Summary, body: str, by: User) -> Summary:
    summary = locked_draft(summary)
    if body != summary.body:
        summary.body = body
        summary.save(update_fields=["body"])
        record_event(actor=by, action=Action.DRAFT_SAVED, target=summary)
    return summary


def _save_on_the_way(summary: Summary, *, body: str | None, by: User) -> Summary:
    """The summary, locked, with the text a button of the editor carried saved in the caller's transaction
    (a version no longer in draft keeps its text: the caller says why it goes no further)."""
    summary = _locked(summary)
    if body is not None and summary.status == SummaryStatus.DRAFT:
        summary = save_draft(summary=summary, body=body, by=by)
    return summary


def _refuse_unresolved_mentions(
    summary: Summary, *, before: str, versions: list[Version] | None = None
) -> None:
    """`before` is "sealing" or "review": the step the unresolved mentions hold up. `versions`: the summary's
    versions, if the caller has read them already."""
    findings = attribution_findings(summary=summary, versions=versions)
    open_findings = [finding for finding in findings if not finding.accepted]
    if open_findings:
        listed = ", ".join(
            ngettext("“%(term)s” (%(count)s place)", "“%(term)s” (%(count)s places)", len(f.mentions))
            % {"term": f.term.text, "count": len(f.mentions)}
            for f in open_findings[:5]
        )
        if len(open_findings) > 5:
            listed = _("%(listed)s and %(count)s more") % {"listed": listed, "count": len(open_findings) - 5}
        message = (
            _(
                "The draft names people or organisations of this dialogue: %(listed)s. Remove them, or "
                "accept each one in the attribution check, before sealing."
            )
            if before == "sealing"
            else _(
                "The draft names people or organisations of this dialogue: %(listed)s. Remove them, or "
                "accept each one in the attribution check, before the review."
            )
        )
        raise ValidationError(message % {"listed": listed})


@transaction.atomic
def accept_mention(*, summary: Summary, term: str, by: User) -> Summary:
    """Stop flagging `term` in this version: a facilitator judged this mention does not attribute anything."""
    summary = _locked(summary)
    if summary.status not in {SummaryStatus.DRAFT, SummaryStatus.IN_REVIEW}:
        raise ValidationError(_("This version can no longer be changed."))
    key = attribution.mention_key(term)
    if key not in {finding.term.key for finding in attribution_findings(summary=summary)}:
        raise ValidationError(_("That text no longer appears in the draft."))
    if key not in summary.accepted_mentions:
        summary.accepted_mentions = [*summary.accepted_mentions, key]
        summary.save(update_fields=["accepted_mentions"])
        # The audit row says that a mention was accepted, not which: the log must not hold the names either.
        record_event(actor=by, action=Action.MENTION_ACCEPTED, target=summary)
    return summary


@transaction.atomic
def amend_summary(*, summary: Summary, by: User) -> Summary:
    """Start a new version of a sealed summary; it supersedes this one once it is itself sealed."""
    summary = _locked(summary)
    newer = summary.workshop.summaries.filter(version__gt=summary.version).order_by("version").first()
    if newer is not None and newer.status in OPEN_STATUSES and newer.supersedes_id == summary.pk:
        return newer
    if summary.status != SummaryStatus.SEALED:
        raise ValidationError(_("Only the current sealed version can be amended."))
    if summary.workshop.summaries.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("Another version of this summary is already being written."))
    version = next_number(parent=summary.workshop, children=summary.workshop.summaries, field="version")
    amendment = Summary.objects.create(
        workshop=summary.workshop,
        version=version,
        body=summary.body,
        language=summary.language,
        supersedes=summary,
        accepted_mentions=summary.accepted_mentions,
        created_by=by,
    )
    # Every parallel version goes into the amendment too: the versions are amended, and sealed, together.
    SummaryTranslation.objects.bulk_create(
        SummaryTranslation(summary=amendment, language=row.language, body=row.body)
        for row in summary.translations.order_by("created_at", "id")
    )
    record_event(actor=by, action=Action.AMENDED, target=amendment)
    return amendment

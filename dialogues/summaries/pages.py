"""What a summary's page shows at each stage: the editor for a draft, the review round (for the
facilitation team and for an attendee), the sealing progress and the sealed text behind the ground rules. The
views in dialogues/summaries/views/ decide which; these build the context and render."""

import datetime as dt
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dialogues import languages
from dialogues import selectors as dialogue_selectors
from dialogues.enums import SummaryStatus
from dialogues.models import Summary
from dialogues.permissions import SEALED_STATUSES, dialogue_access
from dialogues.scheduling.recurrence import wall_clock
from dialogues.summaries import attribution, selectors, services
from dialogues.summaries.forms import (
    CloseEarlyForm,
    ExtendReviewForm,
    OpenReviewForm,
    ParallelVersionForm,
    RespondForm,
    ReviewCommentForm,
    SealForm,
    SummaryDraftForm,
    SummaryLanguageForm,
)
from trackii.confirmation import Confirmation, ask
from trackii.sealing.enums import SealJobState

# What the sealing page shows, in order; a failed job shows its reason instead.
SEAL_STEPS = (
    (SealJobState.QUEUED, gettext_lazy("Waiting for the sealing worker")),
    (SealJobState.RENDERING, gettext_lazy("Rendering the PDF")),
    (SealJobState.SIGNING, gettext_lazy("Signing and making each reader's copy")),
    (SealJobState.DONE, gettext_lazy("Sealed")),
)
REVIEW_DAYS = 7


def summary_url(summary: Summary, name: str = "summary_detail") -> str:
    return reverse(f"dialogues:{name}", args=[summary.workshop.series.dialogue_id, summary.pk])


def frame(summary: Summary, **extra) -> dict:
    """What every summary page shows in its heading."""
    return {
        "summary": summary,
        "workshop": summary.workshop,
        "dialogue": summary.workshop.series.dialogue,
        **extra,
    }


def shown_version(request, summary: Summary) -> dict:
    """The summary's versions and the one to show: the one asked for (`?version=ru`), else the one in the
    reader's interface language, else the main one. A code that is not among them shows the default."""
    versions = selectors.versions_of(summary=summary)
    codes = [version.code for version in versions]
    asked = request.GET.get("version", "")
    code = asked if asked in codes else languages.reader_version(codes, summary.language)
    return {
        "versions": versions,
        "shown": versions[codes.index(code)],
        # In the PDF's order: the main version first.
        "version_names": get_text_list([version.language.name for version in versions], _("and")),
    }


def _version_forms(summary: Summary, bound: dict | None = None) -> dict:
    """The drafting forms of a summary's languages: its main language, each parallel version's text (a form
    with errors, if just sent, keyed by language), and adding a version in a language it does not have."""
    bound = bound or {}
    versions = selectors.versions_of(summary=summary)
    used = tuple(version.code for version in versions)
    parallel = []
    for version in versions[1:]:
        form = bound.get(version.code) or ParallelVersionForm(
            initial={"language": version.code, "body": version.body}, auto_id=f"id_v{version.code}_%s"
        )
        # The text runs in its own language and direction in the editor, as in the sealed PDF.
        form.fields["body"].widget.attrs.update({"lang": version.code, "dir": version.language.direction})
        parallel.append((version, form))
    new_version_form = bound.get("new") or ParallelVersionForm(exclude=used, auto_id="id_new_%s")
    new_version_form.fields["body"].widget.attrs["dir"] = "auto"  # its language is chosen beside it
    return {
        "language_form": bound.get("main") or SummaryLanguageForm(initial={"language": summary.language}),
        "main_language": versions[0].language,
        "parallel_versions": parallel,
        "new_version_form": new_version_form,
    }


def _comments_with_forms(summary: Summary, bound: dict | None = None) -> list:
    """Every review comment with the form that accepts or answers it (a form with errors, if just sent)."""
    rows = []
    for comment in selectors.review_comments(summary=summary):
        form = (bound or {}).get(comment.pk) or RespondForm(
            initial={"comment": comment.pk, "response": comment.response}, auto_id=f"id_c{comment.pk}_%s"
        )
        rows.append((comment, form))
    return rows


def guard(summary: Summary, error: str = "") -> dict:
    findings = selectors.attribution_findings(summary=summary)
    return {
        "findings": findings,
        "open_findings": [finding for finding in findings if not finding.accepted],
        "guard_error": error,
        "can_accept": summary.status in (SummaryStatus.DRAFT, SummaryStatus.IN_REVIEW),
    }


def draft_page(
    request,
    summary,
    *,
    form=None,
    review_form=None,
    seal_form=None,
    bound=None,
    version_forms=None,
    status=200,
):
    tz_name = dialogue_selectors.display_timezone(user=request.user)
    if form is None:
        form = SummaryDraftForm(
            initial={"body": summary.body}, preview_url=summary_url(summary, "summary_preview")
        )
    if review_form is None:
        # A week ahead, at the end of the working day on the facilitator's clock.
        suggested = wall_clock(timezone.now() + dt.timedelta(days=REVIEW_DAYS), tz_name)
        review_form = OpenReviewForm(
            initial={"review_deadline": suggested.replace(hour=18, minute=0, second=0, microsecond=0)},
            tz_name=tz_name,
        )
    context = frame(
        summary,
        form=form,
        preview=form["body"].value() or "",
        review_form=review_form,
        seal_form=seal_form or SealForm(),
        comments=_comments_with_forms(summary, bound),
        viewer_tz=tz_name,
        **guard(summary),
        **_version_forms(summary, version_forms),
    )
    # The summary's own text runs in its language and direction, whatever the interface's: English in an
    # Arabic page is not mirrored ("Catch data ##"), as the parallel versions are not.
    main = context["main_language"]
    form.fields["body"].widget.attrs.update({"lang": main.code, "dir": main.direction})
    return render(request, "dialogues/summaries/draft.html", context, status=status)


def review_page(request, summary, *, bound=None, close_form=None, extend_form=None, status=200):
    """The facilitation team's view of a review round: who has responded, every comment, and steering it
    (close now with a reason, a later deadline, a reminder)."""
    tz_name = dialogue_selectors.display_timezone(user=request.user)
    roster = selectors.review_roster(summary=summary)
    now = timezone.now()
    if extend_form is None:
        # A week past the current deadline, on the facilitator's clock.
        later = wall_clock(max(summary.review_deadline or now, now) + dt.timedelta(days=REVIEW_DAYS), tz_name)
        extend_form = ExtendReviewForm(
            initial={"review_deadline": later.replace(second=0, microsecond=0)}, tz_name=tz_name
        )
    next_reminder = selectors.next_reminder_at(summary=summary)
    context = frame(
        summary,
        roster=roster,
        progress=selectors.progress_of(roster),
        comments=_comments_with_forms(summary, bound),
        deadline_passed=summary.review_deadline is not None and summary.review_deadline <= now,
        viewer_tz=tz_name,
        close_form=close_form or CloseEarlyForm(),
        extend_form=extend_form,
        next_reminder=next_reminder if next_reminder and next_reminder > now else None,
        **shown_version(request, summary),
    )
    return render(request, "dialogues/summaries/review.html", context, status=status)


def reviewer_page(request, summary, *, form=None, status=200):
    """An attendee's view: the draft, a comment form, their own comments (never anyone else's)."""
    person = dialogue_selectors.person_of(user=request.user)
    shown = shown_version(request, summary)
    if form is None:
        form = ReviewCommentForm(
            sections=attribution.sections(summary.body),
            versions=shown["versions"],
            initial={"language": shown["shown"].code},
        )
    context = frame(
        summary,
        form=form,
        **shown,
        own_comments=selectors.review_comments(summary=summary, author=person) if person else (),
        signoff=selectors.signoff_of(summary=summary, person=person),
        viewer_tz=dialogue_selectors.display_timezone(user=request.user),
    )
    return render(request, "dialogues/summaries/reviewer.html", context, status=status)


def closed_review_page(request, summary):
    """An attendee's view of a review the facilitators closed early: when and why, never the draft."""
    context = frame(summary, viewer_tz=dialogue_selectors.display_timezone(user=request.user))
    return render(request, "dialogues/summaries/review_closed.html", context)


def progress(summary: Summary) -> dict:
    job = selectors.seal_job(summary=summary)
    if summary.status in SEALED_STATUSES:
        state = SealJobState.DONE
    elif summary.status != SummaryStatus.SEALING:
        state = "returned"  # given back to its authors
    else:
        state = job.state if job is not None else SealJobState.QUEUED
    order = [step for step, _ in SEAL_STEPS]
    reached = order.index(state) if state in order else -1
    steps = [
        (
            label,
            "done" if i < reached or state == SealJobState.DONE else "current" if i == reached else "todo",
        )
        for i, (_, label) in enumerate(SEAL_STEPS)
    ]
    return {
        "job": job,
        "state": state,
        "steps": steps,
        "polling": state in (SealJobState.QUEUED, SealJobState.RENDERING, SealJobState.SIGNING),
        # What the page shows: a poll that finds the same gets nothing new (views.summary_progress).
        "shown": f"{state}.{job.attempts if job else 0}",
    }


def sealing_page(request, summary):
    return render(request, "dialogues/summaries/sealing.html", frame(summary, **progress(summary)))


def sealed_page(request, summary):
    if (gate := ground_rules_first(request, summary)) is not None:
        return gate
    reading = services.mark_read(summary=summary, by=request.user)
    # The version that amends this one, as far as the reader may see it (a draft only for its authors).
    newer = (
        dialogue_selectors.summaries_for_user(user=request.user)
        .filter(supersedes=summary)
        .values("pk", "version", "status")
        .first()
    )
    dialogue_id = summary.workshop.series.dialogue_id
    access = dialogue_access(request.user)
    context = frame(
        summary,
        reading=reading,
        newer=newer,
        can_amend=summary.status == SummaryStatus.SEALED and access.has(dialogue_id, "draft_summaries"),
        # A former member left their sealed summaries reads them and nothing else: no link to the dialogue,
        # its workshop or its ground rules page, which would answer "not found".
        former_reader=not access.has(dialogue_id, "view_dialogue"),
        **shown_version(request, summary),
    )
    return render(request, "dialogues/summaries/sealed.html", context)


def ground_rules_first(request, summary: Summary):
    """A member who has not yet accepted the dialogue's ground rules is asked to, then comes back here."""
    dialogue_id = summary.workshop.series.dialogue_id
    membership = dialogue_selectors.membership_of(user=request.user, dialogue_id=dialogue_id)
    if membership is None or membership.ground_rules_accepted_at is not None:
        return None
    query = urlencode({"next": request.get_full_path()})
    return redirect(reverse("dialogues:ground_rules", args=[dialogue_id]) + f"?{query}")


def seal_confirmation(request, summary: Summary, body: str | None):
    """The page that asks before sealing: what it does, for whom, and the text that will be sealed (`body`,
    the editor's text when the button carried it, carried on to the final button)."""
    readers = selectors.audience_at_sealing(summary=summary).count()
    workshop = summary.workshop
    dialogue_id = workshop.series.dialogue_id
    unsaved = body is not None and body != summary.body
    versions = selectors.versions_of(summary=summary)
    happens = [
        _(
            "The text below becomes a signed PDF that can no longer change. It includes edits not saved yet: "
            "they are saved only if you seal, and going back shows the last saved draft."
        )
        if unsaved
        else _("The text below becomes a signed PDF that can no longer change."),
        ngettext(
            "It replaces version %(version)s for the same readers: %(count)s person who still belongs to the "
            "dialogue, with their own marked copy.",
            "It replaces version %(version)s for the same readers: %(count)s people who still belong to the "
            "dialogue, each with their own marked copy.",
            readers,
        )
        % {"version": summary.supersedes.version, "count": readers}
        if summary.supersedes_id
        else ngettext(
            "The %(count)s person who attended and still belongs to the dialogue may read it, with their own "
            "marked copy.",
            "The %(count)s people who attended and still belong to the dialogue may read it, each with their "
            "own marked copy.",
            readers,
        )
        % {"count": readers},
    ]
    if len(versions) > 1:
        happens.append(
            _("The PDF holds every version, one after another, under the one seal: %(languages)s.")
            % {"languages": get_text_list([version.language.name for version in versions], _("and"))}
        )
    confirmation = Confirmation(
        title=_("Seal version %(version)s of the summary of workshop %(number)s?")
        % {"version": summary.version, "number": workshop.number},
        action=request.path,
        button=_("Yes, seal this summary"),
        back=summary_url(summary),
        back_label=_("No, go back to the draft"),
        happens=happens,
        told=_("Nobody is sent an e-mail: the readers find it in their reading room."),
        final=_(
            "A sealed summary cannot be changed or unsealed. A correction later is an amendment, a new "
            "version that replaces it for the same readers."
        ),
        undo=_(
            "Sealing takes a moment. If it fails, the next page offers to try again or to return the "
            "summary to draft."
        ),
        hidden={} if body is None else {"body": body},
        breadcrumbs=[
            (reverse("home"), _("Your dialogues")),
            (reverse("dialogues:dialogue_detail", args=[dialogue_id]), workshop.series.dialogue.codename),
            (
                reverse("dialogues:workshop_detail", args=[dialogue_id, workshop.pk]),
                _("workshop %(number)s") % {"number": workshop.number},
            ),
            (summary_url(summary), _("summary")),
        ],
    )
    return ask(
        request,
        confirmation,
        template="dialogues/summaries/seal_confirm.html",
        versions=selectors.versions_of(summary=summary, body=body),
    )

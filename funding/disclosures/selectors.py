"""Reads of disclosure reports: the versions a user may see, their sealing jobs, and what a report says."""

from dataclasses import dataclass

from django.db.models import CharField, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from funding.approval.selectors import with_answer_counts
from funding.grants.selectors import Budget, budget_of
from funding.insight.selectors import Activity, activity_of
from funding.models import Condition, Disclosure, Funder, Grant
from funding.permissions import officer_grants, suppressed_together
from trackii.audit.enums import Action
from trackii.audit.models import AuditEvent
from trackii.crypto import decrypt
from trackii.sealing.models import SealJob

# The kind of the sealing pipeline's jobs for disclosures (settings.TRACKII_SEALERS names its Sealer).
DISCLOSURE_KIND = "disclosure"


def disclosure_document_id(*, disclosure: Disclosure) -> str:
    """The id written into the sealed PDF ("disclosure:4:v2"), which verify_pdf reads back."""
    return f"disclosure:{disclosure.pk}:v{disclosure.version}"


def disclosure_context(*, disclosure: Disclosure) -> bytes:
    """The encryption context of a disclosure's PDF: a token moved to another row will not decrypt."""
    return disclosure_document_id(disclosure=disclosure).encode()


def disclosure_pdf(*, disclosure: Disclosure) -> bytes:
    """The sealed report's PDF (decrypted). Handing it to a reader goes through
    services.download_disclosure, which audits the download."""
    return decrypt(bytes(disclosure.pdf), context=disclosure_context(disclosure=disclosure))


def disclosure_job(*, disclosure: Disclosure) -> SealJob | None:
    return SealJob.objects.filter(kind=DISCLOSURE_KIND, object_id=disclosure.pk).first()


def disclosures_of(*, grant: Grant, newest_only: bool) -> QuerySet[Disclosure]:
    """A grant's disclosure reports, newest first. The funder's officers get only the newest sealed one; the
    convenors every version, including one being generated."""
    disclosures = grant.disclosures.defer("pdf").order_by("-version")
    if newest_only:
        sealed = disclosures.filter(sealed_at__isnull=False)
        return sealed.filter(pk=Subquery(sealed.values("pk")[:1]))
    return disclosures


def newest_reports_for_officer(*, user) -> QuerySet[Disclosure]:
    """A funder's home page: for each of their funder's grants, the newest sealed report (the one officers
    may download), newest first, each saying whether this user has downloaded it yet. Downloads are read
    from the audit log, which records each one (services.download_disclosure): nothing new is stored."""
    newest = (
        Disclosure.objects.filter(grant=OuterRef("grant"), sealed_at__isnull=False)
        .order_by("-version")
        .values("pk")[:1]
    )
    downloads = AuditEvent.objects.filter(
        actor=user,
        action=Action.DOWNLOAD,
        target_type=Disclosure._meta.label_lower,
        target_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    return (
        Disclosure.objects.filter(grant__in=Grant.objects.filter(officer_grants(user)).values("pk"))
        .filter(pk=Subquery(newest))
        .annotate(downloaded=Exists(downloads))
        .select_related("grant__funder", "grant__dialogue")
        .defer("pdf")
        .order_by("-sealed_at", "-pk")
    )


def disclosure_jobs(*, disclosures) -> dict[int, SealJob]:
    """The sealing job of each disclosure, by disclosure id (one query)."""
    jobs = SealJob.objects.filter(kind=DISCLOSURE_KIND, object_id__in=[d.pk for d in disclosures])
    return {job.object_id: job for job in jobs}


def disclosures_context(*, grant: Grant, managing: bool) -> dict:
    """The grant page's "Disclosure reports" section: for the convenors every version with its sealing job
    (two queries), for the funder's officers only the newest sealed version (one)."""
    disclosures = list(disclosures_of(grant=grant, newest_only=not managing))
    jobs = disclosure_jobs(disclosures=disclosures) if managing else {}
    for disclosure in disclosures:
        disclosure.job = jobs.get(disclosure.pk)
    generating = any(d.sealed_at is None and d.job and not d.job.finished for d in disclosures)
    # What the section shows of the versions not yet sealed: a poll that finds the same gets nothing new.
    unsealed = [d for d in disclosures if d.sealed_at is None]
    shown = " ".join(f"{d.version}-{d.job.state if d.job else ''}" for d in unsealed)
    return {
        "grant": grant,
        "disclosures": disclosures,
        "managing": managing,
        "generating": generating,
        "shown": shown,
    }


@dataclass(frozen=True)
class DisclosureData:
    """Everything a disclosure report says, as plain values: what the template gets and nothing more."""

    funder: Funder
    grant: Grant
    recipient: str
    conditions: list[Condition]
    answers: dict[str, str] | None
    budget: Budget
    activity: Activity | None


def disclosure_data(*, grant: Grant) -> DisclosureData:
    """The report's content. Participants' answers and the dialogue's activity in aggregate only: answers
    below the small-count threshold are shown as "fewer than N", small counts per side are withheld (the
    charts of funding.insight.selectors), and no one is named."""
    grant = (
        with_answer_counts(grants=Grant.objects.filter(pk=grant.pk))
        .select_related("funder", "dialogue", "third_party")
        .get()
    )
    if grant.dialogue_id:
        recipient = _("Dialogue %(codename)s, convened by %(third_party)s") % {
            "codename": grant.dialogue.codename,
            "third_party": grant.third_party.name,
        }
        answers = dict(
            zip(
                ("approved", "objected", "unanswered"),
                suppressed_together([grant.n_approved, grant.n_objected, grant.n_unanswered]),
                strict=True,
            )
        )
    else:
        recipient = _("Core budget of %(third_party)s") % {"third_party": grant.third_party.name}
        answers = None
    return DisclosureData(
        funder=grant.funder,
        grant=grant,
        recipient=recipient,
        conditions=list(grant.conditions.order_by("pk")),
        answers=answers,
        budget=budget_of(grant=grant),
        activity=activity_of(grant=grant),
    )

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from dialogues.models.dialogue import EncryptedInItsDialogue
from funding.enums import (
    FLAGGED_CONDITION_KINDS,
    RULINGS_NEEDING_CONFIRMATION,
    ConditionKind,
    ConditionRuling,
    ExpenseCategory,
    FunderKind,
    GrantStatus,
)
from trackii.crypto import EncryptedTextField

CURRENCY_CODE = r"^[A-Z]{3}$"


class Funder(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=FunderKind.choices)
    country = models.CharField(max_length=100, blank=True)
    # The programme officers who read this funder's disclosures in Trackii.
    officers = models.ManyToManyField("participants.Person", blank=True, related_name="funder_roles")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Grant(models.Model):
    """Money from a funder, for one dialogue or (without one) for the Third Party's core budget."""

    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="grants")
    dialogue = models.ForeignKey(
        "dialogues.Dialogue", null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    third_party = models.ForeignKey(
        "participants.ThirdParty", on_delete=models.PROTECT, related_name="grants"
    )
    reference = models.CharField(max_length=60, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, help_text="ISO 4217 code, e.g. EUR.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    purpose = models.TextField()
    status = models.CharField(max_length=10, choices=GrantStatus.choices, default=GrantStatus.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=CURRENCY_CODE), name="grant_currency_iso_code"
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="grant_ends_after_start"),
        ]
        indexes = [models.Index(fields=["dialogue", "status"]), models.Index(fields=["funder", "status"])]

    def __str__(self) -> str:
        return f"{self.funder} {self.currency} {self.amount:,.0f}"

    @property
    def audit_dialogue_id(self) -> int | None:
        return self.dialogue_id


class GrantUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Grant, on_delete=models.CASCADE)


class GrantGroupObjectPermission(GroupObjectPermissionBase):
    """A funder's officers (one group per funder) see the grants that funder made."""

    content_object = models.ForeignKey(Grant, on_delete=models.CASCADE)


class Condition(models.Model):
    """A condition a funder attaches to a grant, and the Third Party's ruling on it."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(max_length=24, choices=ConditionKind.choices)
    text = models.TextField()
    flagged = models.BooleanField(default=False, editable=False)
    ruling = models.CharField(max_length=12, choices=ConditionRuling.choices, default=ConditionRuling.PENDING)
    # On a flagged condition, the acceptance (or negotiated acceptance) the first convenor proposed: the
    # ruling stays pending until a second convenor confirms it.
    proposed_ruling = models.CharField(max_length=12, choices=ConditionRuling.choices, blank=True)
    rationale = models.TextField(blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ruled_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["grant", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(flagged=True) | ~Q(kind__in=sorted(FLAGGED_CONDITION_KINDS)),
                name="condition_flagged_kinds_are_flagged",
            ),
            models.CheckConstraint(
                condition=Q(ruling=ConditionRuling.PENDING) | ~Q(rationale=""),
                name="condition_ruling_has_rationale",
            ),
            # A flagged condition is accepted (outright or as negotiated) only with a second convenor's
            # confirmation.
            models.CheckConstraint(
                condition=~Q(flagged=True, ruling__in=sorted(RULINGS_NEEDING_CONFIRMATION))
                | (Q(confirmed_by__isnull=False) & ~Q(confirmed_by=F("ruled_by"))),
                name="condition_flagged_acceptance_confirmed",
            ),
            # A proposal waits on a flagged condition that is still pending, and names who proposed it.
            models.CheckConstraint(
                condition=Q(proposed_ruling="")
                | Q(
                    flagged=True,
                    ruling=ConditionRuling.PENDING,
                    proposed_ruling__in=sorted(RULINGS_NEEDING_CONFIRMATION),
                    ruled_by__isnull=False,
                ),
                name="condition_proposal_awaits_confirmation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} condition on {self.grant}"

    def save(self, *args, **kwargs) -> None:
        self.flagged = self.flagged or self.kind in FLAGGED_CONDITION_KINDS
        super().save(*args, **kwargs)

    @property
    def audit_dialogue_id(self) -> int | None:
        return self.grant.dialogue_id


class Expense(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="expenses")
    category = models.CharField(max_length=16, choices=ExpenseCategory.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2, help_text="In the grant's currency.")
    spent_on = models.DateField()
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["grant", "spent_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive")]
        indexes = [models.Index(fields=["grant", "category"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount}"


class FundingNote(EncryptedInItsDialogue, models.Model):
    """What a member wrote with their answer on the funding arrangements of their dialogue. The answer
    itself is Membership.funding_consent; the note is theirs to give, and is stored encrypted."""

    membership = models.OneToOneField(
        "participants.Membership", on_delete=models.CASCADE, related_name="funding_note"
    )
    text = EncryptedTextField(null=True, blank=True)
    written_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Funding note of {self.membership}"

    @property
    def audit_dialogue_id(self) -> int:
        return self.membership.dialogue_id


class Disclosure(models.Model):
    """One generation of a grant's funder-disclosure report: a sealed PDF of the grant's terms, the rulings
    on its conditions, the participants' answers and spend, and the dialogue's activity in aggregate only.
    Versioned per grant; the newest sealed version is the one the funder's officers see."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="disclosures")
    version = models.PositiveIntegerField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    sealed_at = models.DateTimeField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # The language the report is written in (issue 22): chosen when it is generated, so a sealed PDF does not
    # change with whoever downloads it.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    # The sealed PDF, encrypted at rest (trackii.crypto, context "disclosure:<id>:v<version>").
    pdf = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["grant", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "version"], name="disclosure_version_unique"),
            models.CheckConstraint(
                condition=Q(sealed_at__isnull=True) | (~Q(sha256="") & Q(pdf__isnull=False)),
                name="disclosure_sealed_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"Disclosure v{self.version} of grant {self.grant_id}"

    @property
    def audit_dialogue_id(self) -> int | None:
        return self.grant.dialogue_id

"""Members' answers on the funding arrangements of their dialogue. Keyword-only, one transaction, safe
to repeat; every answer is in the audit log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from funding.models import FundingNote
from participants import services as participant_services
from participants.models import Membership
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event

NOTE_MAX_LENGTH = 2000


@transaction.atomic
def answer_funding(*, membership: Membership, consent: str, note: str = "", by: User) -> Membership:
    """A participant approves of or objects to the funding arrangements of their dialogue, with an optional
    note for the convenors. Answering again replaces the answer and the note."""
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": gettext("Keep the note under %(n)s characters.") % {"n": NOTE_MAX_LENGTH}}
        )
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    existing = FundingNote.objects.filter(membership=membership).first()
    if membership.funding_consent == consent and (existing.text if existing else None) == (note or None):
        return membership
    membership = participant_services.set_funding_consent(membership=membership, consent=consent)
    FundingNote.objects.update_or_create(
        membership=membership, defaults={"text": note or None, "written_at": timezone.now()}
    )
    record_event(
        actor=by,
        action=Action.FUNDING_ANSWERED,
        target=membership,
        detail={"consent": consent, "with_note": bool(note)},
    )
    return membership

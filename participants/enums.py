from django.db import models
from django.utils.translation import gettext_lazy as _


class Proximity(models.TextChoices):
    """How close a person stands to officialdom: what makes a transfer into Track 1 possible."""

    SERVING_OFFICIAL = "serving_official", _("Serving official")
    FORMER_OFFICIAL = "former_official", _("Former official")
    ADVISER = "adviser", _("Adviser to government")
    # issue 21: the insight pages' bands name this and INDEPENDENT_EXPERT; no member before meant them.
    CLOSE_TO_GOVERNMENT = "close_to_government", _("Close to government")
    PARLIAMENTARIAN = "parliamentarian", _("Parliamentarian")
    SECURITY_SECTOR = "security_sector", _("Security sector")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIC = "academic", _("Academic")
    INDEPENDENT_EXPERT = "independent_expert", _("Independent expert")
    JOURNALIST = "journalist", _("Journalist")
    BUSINESS = "business", _("Business")
    RELIGIOUS_LEADER = "religious_leader", _("Religious leader")
    OTHER = "other", _("Other")


class ProximityBand(models.TextChoices):
    """The five bands of closeness to officialdom that the insight pages count by (the Autonomy Dilemma:
    close enough for ideas to transfer, free enough to think outside the box), nearest first."""

    SERVING_OFFICIAL = "serving_official", _("Serving officials")
    FORMER_OFFICIAL = "former_official", _("Former officials")
    CLOSE_TO_GOVERNMENT = "close_to_government", _("Close to government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    INDEPENDENT_EXPERT = "independent_expert", _("Independent experts")
    OTHER = "other", _("Other")


# Every Proximity member in its band. A parliamentarian holds public office; the security sector and
# advisers stand next to government without speaking for it; journalists, business and religious leaders
# speak from society; academics are independent experts.
PROXIMITY_BAND: dict[str, str] = {
    Proximity.SERVING_OFFICIAL: ProximityBand.SERVING_OFFICIAL,
    Proximity.PARLIAMENTARIAN: ProximityBand.SERVING_OFFICIAL,
    Proximity.FORMER_OFFICIAL: ProximityBand.FORMER_OFFICIAL,
    Proximity.ADVISER: ProximityBand.CLOSE_TO_GOVERNMENT,
    Proximity.SECURITY_SECTOR: ProximityBand.CLOSE_TO_GOVERNMENT,
    Proximity.CLOSE_TO_GOVERNMENT: ProximityBand.CLOSE_TO_GOVERNMENT,
    Proximity.CIVIL_SOCIETY: ProximityBand.CIVIL_SOCIETY,
    Proximity.JOURNALIST: ProximityBand.CIVIL_SOCIETY,
    Proximity.BUSINESS: ProximityBand.CIVIL_SOCIETY,
    Proximity.RELIGIOUS_LEADER: ProximityBand.CIVIL_SOCIETY,
    Proximity.ACADEMIC: ProximityBand.INDEPENDENT_EXPERT,
    Proximity.INDEPENDENT_EXPERT: ProximityBand.INDEPENDENT_EXPERT,
    Proximity.OTHER: ProximityBand.OTHER,
}


class Risk(models.TextChoices):
    NORMAL = "normal", _("Normal")
    ELEVATED = "elevated", _("Elevated: stricter defaults")


class MemberRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    OBSERVER = "observer", _("Observer")
    RESOURCE_PERSON = "resource_person", _("Resource person")


class FacilitatorRole(models.TextChoices):
    CONVENOR = "convenor", _("Convenor")
    FACILITATOR = "facilitator", _("Facilitator")
    RAPPORTEUR = "rapporteur", _("Rapporteur")


class FundingConsent(models.TextChoices):
    PENDING = "pending", _("Not yet answered")
    APPROVED = "approved", _("Approved")
    OBJECTED = "objected", _("Objected")


class ErasureOutcome(models.TextChoices):
    """How a person's request to have their data erased was answered (issue 23)."""

    ERASED = "erased", _("Erased")
    DECLINED = "declined", _("Declined")

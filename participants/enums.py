from django.db import models


class Proximity(models.TextChoices):
    """How close a person stands to officialdom: what makes a transfer into Track 1 possible."""

    SERVING_OFFICIAL = "serving_official", "Serving official"
    FORMER_OFFICIAL = "former_official", "Former official"
    ADVISER = "adviser", "Adviser to government"
    # issue 21: the insight pages' bands name this and INDEPENDENT_EXPERT; no member before meant them.
    CLOSE_TO_GOVERNMENT = "close_to_government", "Close to government"
    PARLIAMENTARIAN = "parliamentarian", "Parliamentarian"
    SECURITY_SECTOR = "security_sector", "Security sector"
    CIVIL_SOCIETY = "civil_society", "Civil society"
    ACADEMIC = "academic", "Academic"
    INDEPENDENT_EXPERT = "independent_expert", "Independent expert"
    JOURNALIST = "journalist", "Journalist"
    BUSINESS = "business", "Business"
    RELIGIOUS_LEADER = "religious_leader", "Religious leader"
    OTHER = "other", "Other"


class ProximityBand(models.TextChoices):
    """The five bands of closeness to officialdom that the insight pages count by (the Autonomy Dilemma:
    close enough for ideas to transfer, free enough to think outside the box), nearest first."""

    SERVING_OFFICIAL = "serving_official", "Serving officials"
    FORMER_OFFICIAL = "former_official", "Former officials"
    CLOSE_TO_GOVERNMENT = "close_to_government", "Close to government"
    CIVIL_SOCIETY = "civil_society", "Civil society"
    INDEPENDENT_EXPERT = "independent_expert", "Independent experts"
    OTHER = "other", "Other"


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
    NORMAL = "normal", "Normal"
    ELEVATED = "elevated", "Elevated: stricter defaults"


class MemberRole(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    OBSERVER = "observer", "Observer"
    RESOURCE_PERSON = "resource_person", "Resource person"


class FacilitatorRole(models.TextChoices):
    CONVENOR = "convenor", "Convenor"
    FACILITATOR = "facilitator", "Facilitator"
    RAPPORTEUR = "rapporteur", "Rapporteur"


class FundingConsent(models.TextChoices):
    PENDING = "pending", "Not yet answered"
    APPROVED = "approved", "Approved"
    OBJECTED = "objected", "Objected"

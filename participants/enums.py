from django.db import models


class Proximity(models.TextChoices):
    """How close a person stands to officialdom: what makes a transfer into Track 1 possible."""

    SERVING_OFFICIAL = "serving_official", "Serving official"
    FORMER_OFFICIAL = "former_official", "Former official"
    ADVISER = "adviser", "Adviser to government"
    PARLIAMENTARIAN = "parliamentarian", "Parliamentarian"
    SECURITY_SECTOR = "security_sector", "Security sector"
    CIVIL_SOCIETY = "civil_society", "Civil society"
    ACADEMIC = "academic", "Academic"
    JOURNALIST = "journalist", "Journalist"
    BUSINESS = "business", "Business"
    RELIGIOUS_LEADER = "religious_leader", "Religious leader"
    OTHER = "other", "Other"


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

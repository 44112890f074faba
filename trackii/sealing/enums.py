from django.db import models
from django.utils.translation import gettext_lazy as _


class SealJobState(models.TextChoices):
    """Where a request to seal a document stands. The page polls it; only `done` and `failed` are final."""

    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    SIGNING = "signing", _("Signing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_STATES = (SealJobState.RENDERING, SealJobState.SIGNING)


class Verdict(models.TextChoices):
    """What a PDF someone holds turned out to be (trackii.sealing.verify). Only `sealed` can be relied on."""

    SEALED = "sealed", _("Intact: sealed by the Third Party and unchanged since")
    ALTERED = (
        "altered",
        _("Changed after sealing: the Third Party's seal is on it, but the document was altered"),
    )
    FOREIGN = "foreign", _("Not sealed by this Third Party: the PDF is signed, but with someone else's key")
    UNSIGNED = "unsigned", _("Not sealed: this PDF carries no seal or signature at all")
    UNREADABLE = "unreadable", _("This file is not a PDF, or it is damaged")

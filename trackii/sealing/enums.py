from django.db import models


class SealJobState(models.TextChoices):
    """Where a request to seal a document stands. The page polls it; only `done` and `failed` are final."""

    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    SIGNING = "signing", "Signing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


ACTIVE_STATES = (SealJobState.RENDERING, SealJobState.SIGNING)


class Verdict(models.TextChoices):
    """What a PDF someone holds turned out to be (trackii.sealing.verify). Only `sealed` can be relied on."""

    SEALED = "sealed", "Intact: sealed by the Third Party and unchanged since"
    ALTERED = (
        "altered",
        "Changed after sealing: the Third Party's seal is on it, but the document was altered",
    )
    FOREIGN = "foreign", "Not sealed by this Third Party: the PDF is signed, but with someone else's key"
    UNSIGNED = "unsigned", "Not sealed: this PDF carries no seal or signature at all"
    UNREADABLE = "unreadable", "This file is not a PDF, or it is damaged"

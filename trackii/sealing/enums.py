from django.db import models


class SealJobState(models.TextChoices):
    """Where a request to seal a document stands. The page polls it; only `done` and `failed` are final."""

    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    SIGNING = "signing", "Signing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


ACTIVE_STATES = (SealJobState.RENDERING, SealJobState.SIGNING)

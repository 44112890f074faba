"""The life of a workshop summary: draft → review → sealing → sealed, then amendments, copies and reading.
One module per family of actions: `drafts.py` (starting, saving, the attribution check's accepted mentions,
amending a sealed version), `review.py` (the participants' review round), `sealing.py` (the checks, the
request, a failed sealing retried or given back, and `complete_seal`) and `reading.py` (copies, downloads, the
ground rules before reading, the "seen" mark). Everything is importable from here.

Keyword-only, one transaction each, safe to repeat. Refusals raise ValidationError in words a facilitator or
participant can act on. Sealing itself runs in Celery (trackii/sealing/services.py); this package writes the
outbox row and, once the worker has a sealed PDF, completes it (complete_seal).
"""

from dialogues.summaries.services.drafts import (
    NO_ATTENDEE,
    accept_mention,
    amend_summary,
    save_draft,
    start_summary,
)
from dialogues.summaries.services.reading import (
    accept_ground_rules_before_reading,
    copy_for,
    issue_download,
    mark_read,
)
from dialogues.summaries.services.review import (
    add_review_comment,
    close_review,
    open_review,
    respond_to_comment,
    sign_off_review,
)
from dialogues.summaries.services.sealing import (
    cancel_seal,
    check_sealable,
    complete_seal,
    request_seal,
    retry_seal,
)
from dialogues.summaries.services.versions import (
    check_language,
    remove_parallel_version,
    save_parallel_version,
    set_summary_language,
)

__all__ = [
    "NO_ATTENDEE",
    "accept_ground_rules_before_reading",
    "accept_mention",
    "add_review_comment",
    "amend_summary",
    "cancel_seal",
    "check_language",
    "check_sealable",
    "close_review",
    "complete_seal",
    "copy_for",
    "issue_download",
    "mark_read",
    "open_review",
    "remove_parallel_version",
    "request_seal",
    "respond_to_comment",
    "retry_seal",
    "save_draft",
    "save_parallel_version",
    "set_summary_language",
    "sign_off_review",
    "start_summary",
]

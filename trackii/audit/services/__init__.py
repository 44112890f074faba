"""Writing the audit log, one module per family: `recording.py` (record_event and bulk_append, the only way a
row is appended), `upkeep.py` (the log's own upkeep: forgetting addresses, the retention purge, signed
checkpoints, re-baselining after a restore, the daily verification) and `looks.py` (the auditors' looks at
the log, each recorded in it). Everything is importable from here."""

from trackii.audit.services.looks import (
    EXPORT_FIELDS,
    EXPORT_FORMATS,
    EXPORT_LIMIT,
    export_events,
    search_events,
    view_account_timeline,
    view_activity,
    view_home,
    view_object_timeline,
    view_overview,
)
from trackii.audit.services.recording import (
    AUDIT_LOCK_KEY,
    SQLITE_NO_DELETE_SQL,
    SQLITE_NO_DELETE_TRIGGER,
    TABLE,
    bulk_append,
    record_event,
)
from trackii.audit.services.saved import delete_saved_search, rename_saved_search, save_search
from trackii.audit.services.upkeep import (
    AuditChainError,
    apply_retention,
    check_chain,
    drop_addresses,
    purge_events,
    rebaseline_chain,
    record_verification,
    write_checkpoint,
)

__all__ = [
    "AUDIT_LOCK_KEY",
    "EXPORT_FIELDS",
    "EXPORT_FORMATS",
    "EXPORT_LIMIT",
    "SQLITE_NO_DELETE_SQL",
    "SQLITE_NO_DELETE_TRIGGER",
    "TABLE",
    "AuditChainError",
    "apply_retention",
    "bulk_append",
    "check_chain",
    "delete_saved_search",
    "drop_addresses",
    "export_events",
    "purge_events",
    "rebaseline_chain",
    "record_event",
    "record_verification",
    "rename_saved_search",
    "save_search",
    "search_events",
    "view_account_timeline",
    "view_activity",
    "view_home",
    "view_object_timeline",
    "view_overview",
    "write_checkpoint",
]

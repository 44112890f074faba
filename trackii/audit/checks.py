"""Deploy check: the folder for signed audit checkpoints exists and takes a file.

Checkpoints are what lets verify_audit see rows deleted behind the app's back; a deployment whose folder is
missing (a volume not mounted) would write them into the container's own disk, or not at all.
"""

import tempfile

from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_checkpoint_dir(app_configs=None, **kwargs) -> list[Error]:
    from trackii.audit.checkpoints import checkpoint_dir

    directory = checkpoint_dir()
    hint = (
        "Create it on storage the database owner cannot write, and set TRACKII_AUDIT_CHECKPOINT_DIR to it "
        "(docker-compose.yml mounts a volume there)."
    )
    if not directory.is_dir():
        return [
            Error(
                f"TRACKII_AUDIT_CHECKPOINT_DIR={directory} is not a folder: the audit chain's signed "
                "checkpoints would have nowhere to go.",
                hint=hint,
                id="trackii.E131",
            )
        ]
    try:
        # Written and removed at once: only writing tells (permissions, a read-only mount, a full disk).
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".write-check-"):
            pass
    except OSError as error:
        return [
            Error(
                f"TRACKII_AUDIT_CHECKPOINT_DIR={directory} cannot be written: {error.strerror}.",
                hint=hint,
                id="trackii.E132",
            )
        ]
    return []

"""The one check every upload form uses: a size limit and an allow-list of types, judged by the file's
first bytes, not by its name or the browser's word. settings.DATA_UPLOAD_MAX_MEMORY_SIZE and
FILE_UPLOAD_MAX_MEMORY_SIZE bound what Django itself buffers."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from trackii.accounts import conf

# Signatures ("magic numbers") of the types Trackii accepts anywhere.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {"application/pdf": (".pdf",), "image/png": (".png",), "image/jpeg": (".jpg", ".jpeg")}


def validate_size(upload, *, max_bytes: int | None = None) -> None:
    """Refuse a file that is too large: what `validate_upload` checks first, for forms that judge content."""
    max_bytes = conf.upload_max_bytes() if max_bytes is None else max_bytes
    if upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; files can be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )


def validate_upload(
    upload, *, allowed: tuple[str, ...] = ("application/pdf",), max_bytes: int | None = None
) -> str:
    """Refuse a file that is too large or not one of `allowed`; returns the detected type."""
    names = ", ".join(sorted({ext for kind in allowed for ext in EXTENSIONS[kind]}))
    validate_size(upload, max_bytes=max_bytes)
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    name = (getattr(upload, "name", "") or "").lower()
    for kind in allowed:
        if head.startswith(SIGNATURES[kind]) and name.endswith(EXTENSIONS[kind]):
            return kind
    raise ValidationError(
        _("This kind of file cannot be uploaded here. Choose a %(types)s file.") % {"types": names},
        code="wrong_type",
    )

"""The login e-mail: encrypted at rest, found through its blind index (docs/decisions/0006)."""

from django import forms
from django.core.exceptions import FieldError
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, IsNull

from trackii.crypto import EncryptedTextField, blind_index

LOGIN_INDEX_PURPOSE = "user.email"


def normalise_login(email: str) -> str:
    return email.strip().lower()


def login_index(email: str) -> str:
    """The keyed hash a login e-mail is looked up by: any case, surrounding blanks ignored."""
    return blind_index(normalise_login(email), purpose=LOGIN_INDEX_PURPOSE)


class _ByLoginIndex(Exact):
    """``email=...`` and ``email__iexact=...``: compare the blind index of the address asked for with the
    stored index column, so callers (allauth's look-ups, the admin search, the ORM) keep filtering by
    e-mail while the database holds no address in clear. Both ignore case, like the index."""

    def __init__(self, lhs, rhs):
        if rhs is not None:
            field = getattr(lhs, "target", None)
            if not isinstance(lhs, Col) or not isinstance(rhs, str):
                raise FieldError(
                    f"{field or lhs} is encrypted: filter it by an e-mail address given as text, not by "
                    f"{type(rhs).__name__}."
                )
            lhs = Col(lhs.alias, field.model._meta.get_field(field.index_field))
            rhs = login_index(rhs)
        super().__init__(lhs, rhs)


class LoginEmailField(EncryptedTextField):
    """An e-mail address stored as an AES-GCM token, with its blind index kept by the model in
    ``index_field`` (unique there, since ciphertexts are random). Exact look-ups go through the index;
    any other look-up is refused, as for every encrypted field."""

    description = "E-mail address encrypted at rest, looked up by its blind index"

    def __init__(self, *args, index_field: str = "email_index", **kwargs):
        kwargs.setdefault("max_length", 254)
        self.index_field = index_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.index_field != "email_index":
            kwargs["index_field"] = self.index_field
        if kwargs.get("max_length") == 254:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def get_lookup(self, lookup_name):
        if lookup_name in ("exact", "iexact"):
            return _ByLoginIndex
        if lookup_name == "isnull":
            return IsNull
        raise FieldError(self.lookup_refusal(lookup_name))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.EmailField, **kwargs})

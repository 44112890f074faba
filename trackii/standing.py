"""What a signed-in person is, for what every page shows them (the navigation) and for which parts their home
page has: whether they take part in a dialogue, see some funding, are a funder's officer, an auditor or an
administrator. One person may be several.

The navigation must not cost a query on every page. So the answer is read in full once per session (the
first page after login, normally the home page, which reads all of it anyway) and kept in the session; on
every later page each part is taken afresh from what that page has already read for itself, when it has
(`dialogue_access`, a funder's grants, Django's permission cache), and from the session otherwise. A change
seen that way is written back. This decides only which links are shown: every page still asks the
permission tables itself, so a link left showing after a role was removed leads to the ordinary 404.
"""

from dataclasses import asdict, dataclass

from dialogues.permissions import dialogue_access, dialogue_access_if_read, takes_part
from funding.permissions import is_officer, is_officer_if_read, sees_funding
from trackii.staff.roles import is_administrator, is_auditor

SESSION_KEY = "trackii.standing"
_REQUEST_ATTR = "_trackii_standing"


@dataclass(frozen=True)
class Standing:
    takes_part: bool = False
    funding: bool = False
    officer: bool = False
    auditor: bool = False
    administrator: bool = False

    @property
    def staff(self) -> bool:
        return self.auditor or self.administrator


NOBODY = Standing()


def fresh(request, user=None) -> Standing:
    """Read in full (at login, and for the home page): dialogue_access and a funder's grants once per
    request, the staff roles from the permission cache. Kept in the session for the pages that follow.
    `user` is the one logging in, where the request may not carry it yet."""
    user = user or request.user
    if not user.is_authenticated:
        return NOBODY
    access = dialogue_access(user)
    officer = is_officer(user)
    standing = Standing(
        takes_part=takes_part(access),
        funding=sees_funding(access, officer=officer),
        officer=officer,
        auditor=_is_staff(user) and is_auditor(user),
        administrator=_is_staff(user) and is_administrator(user),
    )
    _keep(request, standing)
    return standing


def of(request) -> Standing:
    """For the navigation: no query beyond what the page has read, except once per session."""
    cached = getattr(request, _REQUEST_ATTR, None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return NOBODY
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return fresh(request)
    known = {name: bool(stored.get(name)) for name in Standing.__dataclass_fields__}
    access = dialogue_access_if_read(user)
    officer = is_officer_if_read(user)
    if officer is not None:
        known["officer"] = officer
    if access is not None:
        known["takes_part"] = takes_part(access)
        known["funding"] = sees_funding(access, officer=known["officer"])
    # A superuser holds every permission without a query; anyone else's are known once a page has asked.
    if not _is_staff(user):
        known["auditor"] = known["administrator"] = False
    elif user.is_superuser or hasattr(user, "_perm_cache"):
        known["auditor"] = is_auditor(user)
        known["administrator"] = is_administrator(user)
    standing = Standing(**known)
    _keep(request, standing)
    return standing


def _is_staff(user) -> bool:
    """Staff roles are held by staff accounts (the staff flag, which also makes the second factor required:
    trackii.accounts.selectors.requires_mfa), so nobody else's permissions are read for them."""
    return bool(user.is_staff or user.is_superuser)


def _keep(request, standing: Standing) -> None:
    setattr(request, _REQUEST_ATTR, standing)
    values = asdict(standing)
    if hasattr(request, "session") and request.session.get(SESSION_KEY) != values:
        request.session[SESSION_KEY] = values

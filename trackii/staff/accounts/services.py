"""What administrators do to logins from /staff/accounts/: disable, re-enable, end one session or all. Each
is one transaction and one audit row (ending every session also records each calendar feed it stops).
Refusals raise ValidationError in words the administrator can act on. Superusers are the command line's:
nothing here disables or re-enables one."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trackii.accounts import services as account_services
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.staff.accounts import selectors
from trackii.staff.accounts.selectors import Page, Search
from trackii.staff.roles import GROUPS, Role
from trackii.staff.selectors import other_administrators

SUPERUSER_REFUSAL = "A superuser's account is changed only from the command line."


@transaction.atomic
def disable_login(*, user: User, by: User) -> User:
    """Disable an account: no new login, and its open sessions fail their next request. Refused for the
    administrator's own account, a superuser's, and the last active administrator's (someone must be left
    to re-enable accounts)."""
    # Two administrators disabling each other at once: the role's group row serialises them, so one of the
    # two always stays.
    Group.objects.select_for_update().filter(name=GROUPS[Role.ADMINISTRATOR]).first()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot disable your own account. Ask another administrator."))
    if user.is_superuser:
        raise ValidationError(SUPERUSER_REFUSAL)
    if not user.is_active:
        return user
    is_administrator = user.groups.filter(name=GROUPS[Role.ADMINISTRATOR]).exists()
    if is_administrator and not other_administrators(user=user).exists():
        raise ValidationError(
            _("This is the last active administrator. Give someone else the administrator role first.")
        )
    return account_services.disable_account(user=user, by=by)


@transaction.atomic
def enable_login(*, user: User, by: User) -> User:
    """Let a disabled account log in again. Its sessions stay ended; the person logs in afresh (and a person
    cut off from every dialogue is still refused at login)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_superuser:
        raise ValidationError(SUPERUSER_REFUSAL)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    record_event(actor=by, action=Action.ACCOUNT_ENABLED, target=user)
    return user


@transaction.atomic
def end_session(*, user: User, session_id: int, by: User) -> bool:
    """End one of the account's sessions: its next request finds no login. Returns whether one was open
    (ending a session that already ended records nothing)."""
    from allauth.usersessions.models import UserSession

    session = UserSession.objects.select_for_update().filter(user=user, pk=session_id).first()
    if session is None:
        return False
    session.end()
    record_event(actor=by, action=Action.SESSION_ENDED, target=user, detail={"session": session_id})
    return True


def end_sessions(*, user: User, by: User) -> User:
    """End every session of the account, tracked or not, and its calendar feed's address (audited as
    SESSIONS_ENDED, with the administrator as actor)."""
    return account_services.end_all_sessions(user=user, by=by)


def search_accounts(*, search: Search | None, by: User, before: int | None = None, **filters) -> Page:
    """A page of the list of logins. A typed search (an address, a number, a pseudonym) is audited like the
    auditors' looks: what kind of thing was typed and which logins the page showed, never what was typed
    (an address). A read and one audit statement, no transaction of its own."""
    page = selectors.page_of(rows=selectors.filtered(search=search, **filters), before=before)
    if search is not None:
        record_event(
            actor=by,
            action=Action.ACCOUNTS_SEARCHED,
            target_type="accounts.user",
            detail={"by": search.kind, "shown": [user.pk for user in page.accounts]},
        )
    return page

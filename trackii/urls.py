from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path

from trackii import views
from trackii.accounts import views as account_views
from trackii.admin import HousekeepingAdmin
from trackii.home import home


def _admin_login(view):
    """The admin's own login form would skip the second factor and the login throttle, so allauth's login is
    used. A signed-in account that is not staff gets the same 404 as a page that does not exist (allauth
    would answer 403, which tells a participant the admin is there)."""
    secured = secure_admin_login(view)

    def login(request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_staff:
            raise Http404
        return secured(request, *args, **kwargs)

    return login


def _not_found(request, *args, **kwargs):
    raise Http404


admin.site.login = _admin_login(admin.site.login)
# The admin offers only Trackii's own housekeeping pages (trackii/admin.py). Libraries register more: auth's
# role groups (which name dialogues and who holds a role in each), allauth's second factors, e-mail addresses
# and sessions (removing a factor or changing an address would let an administrator take over an account
# without break-glass), axes' login attempts (typed logins and addresses). Each is taken out here, after every
# app's admin module has run, so a library that registers a new model later is taken out too.
for model, model_admin in list(admin.site._registry.items()):
    if not isinstance(model_admin, HousekeepingAdmin):
        admin.site.unregister(model)
# The select boxes' search (unused here) would list any registered model's rows for a field of any model,
# registered or not.
admin.site.autocomplete_view = _not_found

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Before allauth's own e-mail page, which would store extra login addresses in clear.
    path("accounts/email/", account_views.login_email, name="login_email"),
    path("accounts/", include("allauth.urls")),
    # Django's language switch, in front of which a signed-in person's choice is kept on their login too.
    path("i18n/setlang/", account_views.choose_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("dialogues.urls")),
    path("", include("funding.urls")),
    path("", include("trackii.audit.urls")),
    path("", include("trackii.sealing.urls")),
    path("", include("trackii.accounts.urls")),
    path("", include("trackii.staff.urls")),
]
# Django admin keeps only the Third Party's own record (docs/decisions/0013-admin.md); logins are managed on
# /staff/accounts/. Off unless TRACKII_DJANGO_ADMIN (default: on with DEBUG): then /admin/ does not exist.
if settings.TRACKII_DJANGO_ADMIN:
    urlpatterns.append(path("admin/", admin.site.urls))

handler404 = "trackii.views.page_not_found"
handler500 = "trackii.views.server_error"

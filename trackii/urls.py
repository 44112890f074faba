from allauth.account.decorators import secure_admin_login
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.http import Http404
from django.urls import include, path

from dialogues.views import home
from trackii import views
from trackii.accounts import views as account_views


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


admin.site.login = _admin_login(admin.site.login)
# allauth registers second factors and e-mail addresses in the admin; deleting someone's authenticator or
# changing their address there would let an administrator take over an account without break-glass.
for model in (Authenticator, EmailAddress):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Before allauth's own e-mail page, which would store extra login addresses in clear.
    path("accounts/email/", account_views.login_email, name="login_email"),
    path("accounts/", include("allauth.urls")),
    path("", include("dialogues.urls")),
    path("", include("funding.urls")),
    path("", include("trackii.audit.urls")),
    path("", include("trackii.sealing.urls")),
    path("", include("trackii.accounts.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "trackii.views.page_not_found"
handler500 = "trackii.views.server_error"

from allauth.account.decorators import secure_admin_login
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.urls import include, path

from dialogues.views import home
from trackii import views
from trackii.accounts import views as account_views

# The admin's own login form would skip the second factor and the login throttle.
admin.site.login = secure_admin_login(admin.site.login)
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

from django.contrib import admin
from django.urls import include, path

from dialogues.views import home
from trackii import views

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("dialogues.urls")),
    path("", include("funding.urls")),
    path("", include("trackii.audit.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "trackii.views.page_not_found"
handler500 = "trackii.views.server_error"

from django.contrib import admin
from django.urls import include, path

from trackii import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "trackii.views.page_not_found"
handler500 = "trackii.views.server_error"

"""The project's URLconf with Django's admin switched on (TRACKII_DJANGO_ADMIN, default off outside DEBUG),
for the tests of what the admin still offers: `pytest.mark.urls("tests.admin_urls")`."""

from django.contrib import admin
from django.urls import path

from trackii.urls import handler404, handler500
from trackii.urls import urlpatterns as project

urlpatterns = [*project, path("admin/", admin.site.urls)]

__all__ = ["handler404", "handler500", "urlpatterns"]

from django.urls import path  # noqa: F401 - the staff pages add their paths here

app_name = "staff"

urlpatterns: list = []

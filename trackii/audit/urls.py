from django.urls import path

from trackii.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.overview, name="overview"),
    path("audit/events/", views.events, name="events"),
    path("audit/events.csv", views.export, name="export"),
]

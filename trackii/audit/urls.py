from django.urls import path

from trackii.audit import chain_views, views

app_name = "audit"

urlpatterns = [
    path("audit/", views.overview, name="overview"),
    path("audit/events/", views.events, name="events"),
    path("audit/events.csv", views.export, name="export"),
    path("audit/chain/", chain_views.chain, name="chain"),
    path("audit/chain/progress/", chain_views.chain_progress, name="chain_progress"),
]

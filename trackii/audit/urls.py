from django.urls import path

from trackii.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.overview, name="overview"),
    path("audit/events/", views.events, name="events"),
    path("audit/events.csv", views.export, name="export"),
    path("audit/accounts/<int:account_id>/", views.account_timeline, name="account_timeline"),
    path("audit/objects/<str:target_type>/<str:target_id>/", views.object_timeline, name="object_timeline"),
]

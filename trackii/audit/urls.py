from django.urls import path

from trackii.audit import chain_views, views

app_name = "audit"

urlpatterns = [
    path("audit/", views.overview, name="overview"),
    path("audit/events/", views.events, name="events"),
    path("audit/events.csv", views.export, name="export"),
    path("audit/chain/", chain_views.chain, name="chain"),
    path("audit/chain/progress/", chain_views.chain_progress, name="chain_progress"),
    # issue 19: JSON Lines export, activity per day, saved searches
    path("audit/events.jsonl", views.export_jsonl, name="export_jsonl"),
    path("audit/activity/", views.activity, name="activity"),
    path("audit/saved/", views.saved_list, name="saved_list"),
    path("audit/saved/new/", views.save_search, name="save_search"),
    path("audit/saved/<int:saved_id>/", views.saved_open, name="saved_open"),
    path("audit/saved/<int:saved_id>/rename/", views.saved_rename, name="saved_rename"),
    path("audit/saved/<int:saved_id>/delete/", views.saved_delete, name="saved_delete"),
    path("audit/accounts/<int:account_id>/", views.account_timeline, name="account_timeline"),
    path("audit/objects/<str:target_type>/<str:target_id>/", views.object_timeline, name="object_timeline"),
]

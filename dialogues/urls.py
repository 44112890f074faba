from django.urls import path

from dialogues import views

app_name = "dialogues"

urlpatterns = [
    path("dialogues/<int:dialogue_id>/", views.dialogue_detail, name="dialogue_detail"),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/",
        views.workshop_detail,
        name="workshop_detail",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/", views.summary_detail, name="summary_detail"
    ),
    path("dialogues/<int:dialogue_id>/members/", views.members, name="members"),
    path(
        "dialogues/<int:dialogue_id>/members/<int:membership_id>/role/",
        views.member_change,
        name="member_change",
    ),
    path(
        "dialogues/<int:dialogue_id>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("break-glass/", views.break_glass, name="break_glass"),
]

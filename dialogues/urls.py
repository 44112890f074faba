from django.urls import path

from dialogues import views, views_personal, views_summaries, views_workspace

app_name = "dialogues"

urlpatterns = [
    path("dialogues/<int:dialogue_id>/", views.dialogue_detail, name="dialogue_detail"),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/",
        views.workshop_detail,
        name="workshop_detail",
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
    # The facilitator workspace.
    path("dialogues/new/", views_workspace.dialogue_create, name="dialogue_create"),
    path("dialogues/<int:dialogue_id>/dashboard/", views_workspace.dashboard, name="dashboard"),
    path("dialogues/<int:dialogue_id>/edit/", views_workspace.dialogue_edit, name="dialogue_edit"),
    path("dialogues/<int:dialogue_id>/status/", views_workspace.dialogue_status, name="dialogue_status"),
    path("dialogues/<int:dialogue_id>/sides/", views_workspace.side_add, name="side_add"),
    path("dialogues/<int:dialogue_id>/series/new/", views_workspace.series_create, name="series_create"),
    path(
        "dialogues/<int:dialogue_id>/series/<int:series_id>/",
        views_workspace.series_detail,
        name="series_detail",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/edit/",
        views_workspace.workshop_edit,
        name="workshop_edit",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/clone/",
        views_workspace.workshop_clone,
        name="workshop_clone",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/cancel/",
        views_workspace.workshop_cancel,
        name="workshop_cancel",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/agenda/",
        views_workspace.agenda,
        name="agenda",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/agenda/<int:item_id>/",
        views_workspace.agenda_item,
        name="agenda_item",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/invitations/",
        views_workspace.invitations,
        name="invitations",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/invitations/<int:invitation_id>/",
        views_workspace.invitation_action,
        name="invitation_action",
    ),
    # Summaries: drafting, the attribution check, review, sealing, reading (views_summaries.py).
    path("summaries/", views_summaries.reading_room, name="reading_room"),
    path("dialogues/<int:dialogue_id>/ground-rules/", views_summaries.ground_rules, name="ground_rules"),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/summary/",
        views_summaries.summary_start,
        name="summary_start",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/",
        views_summaries.summary_detail,
        name="summary_detail",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/save/",
        views_summaries.summary_save,
        name="summary_save",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/preview/",
        views_summaries.summary_preview,
        name="summary_preview",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/mentions/accept/",
        views_summaries.summary_accept_mention,
        name="summary_accept_mention",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/review/open/",
        views_summaries.summary_open_review,
        name="summary_open_review",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/review/close/",
        views_summaries.summary_close_review,
        name="summary_close_review",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/comments/",
        views_summaries.summary_comment,
        name="summary_comment",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/comments/respond/",
        views_summaries.summary_respond,
        name="summary_respond",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/sign-off/",
        views_summaries.summary_signoff,
        name="summary_signoff",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/seal/",
        views_summaries.summary_seal,
        name="summary_seal",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/seal/progress/",
        views_summaries.summary_progress,
        name="summary_progress",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/seal/retry/",
        views_summaries.summary_seal_retry,
        name="summary_seal_retry",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/seal/cancel/",
        views_summaries.summary_seal_cancel,
        name="summary_seal_cancel",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/download/",
        views_summaries.summary_download,
        name="summary_download",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/amend/",
        views_summaries.summary_amend,
        name="summary_amend",
    ),
    # A person's own pages.
    path("me/", views_personal.my_workshops, name="my_workshops"),
    path("me/invitations/<int:invitation_id>/", views_personal.rsvp, name="rsvp"),
    path("me/availability/", views_personal.availability, name="availability"),
    path("calendar/", views_personal.calendar_month, name="calendar_month"),
    path("calendar/agenda/", views_personal.calendar_agenda, name="calendar_agenda"),
    path("calendar/settings/", views_personal.calendar_settings, name="calendar_settings"),
    path("calendar/feed/<str:token>.ics", views_personal.calendar_feed, name="calendar_feed"),
]

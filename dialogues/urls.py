from django.urls import path

from dialogues import views
from dialogues.personal import views as personal_views
from dialogues.removal import views as removal_views
from dialogues.scheduling import views as scheduling_views
from dialogues.summaries import views as summary_views
from dialogues.summaries.steering import views as steering_views

app_name = "dialogues"

urlpatterns = [
    path("dialogues/<int:dialogue_id>/", views.dialogue_detail, name="dialogue_detail"),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/",
        scheduling_views.workshop_detail,
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
        removal_views.member_remove,
        name="member_remove",
    ),
    path(
        "dialogues/<int:dialogue_id>/members/<int:membership_id>/kept-summaries/withdraw/",
        removal_views.kept_summaries_withdraw,
        name="kept_summaries_withdraw",
    ),
    path(
        "dialogues/<int:dialogue_id>/people/<int:person_id>/cut-off/",
        removal_views.person_cut_off,
        name="person_cut_off",
    ),
    path(
        "dialogues/<int:dialogue_id>/people/<int:person_id>/restore/",
        removal_views.person_restore,
        name="person_restore",
    ),
    path("break-glass/", views.break_glass, name="break_glass"),
    # The facilitator workspace.
    path("dialogues/new/", views.dialogue_create, name="dialogue_create"),
    path("dialogues/<int:dialogue_id>/dashboard/", views.dashboard, name="dashboard"),
    path("dialogues/<int:dialogue_id>/edit/", views.dialogue_edit, name="dialogue_edit"),
    path("dialogues/<int:dialogue_id>/status/", views.dialogue_status, name="dialogue_status"),
    path("dialogues/<int:dialogue_id>/sides/", views.side_add, name="side_add"),
    path("dialogues/<int:dialogue_id>/series/new/", scheduling_views.series_create, name="series_create"),
    path(
        "dialogues/<int:dialogue_id>/series/<int:series_id>/",
        scheduling_views.series_detail,
        name="series_detail",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/edit/",
        scheduling_views.workshop_edit,
        name="workshop_edit",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/clone/",
        scheduling_views.workshop_clone,
        name="workshop_clone",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/cancel/",
        scheduling_views.workshop_cancel,
        name="workshop_cancel",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/held/",
        scheduling_views.workshop_held,
        name="workshop_held",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/agenda/",
        scheduling_views.agenda,
        name="agenda",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/agenda/<int:item_id>/",
        scheduling_views.agenda_item,
        name="agenda_item",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/agenda/<int:item_id>/edit/",
        scheduling_views.agenda_item_edit,
        name="agenda_item_edit",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/run-sheet/",
        scheduling_views.run_sheet,
        name="run_sheet",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/run-sheet.pdf",
        scheduling_views.run_sheet_pdf,
        name="run_sheet_pdf",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/invitations/",
        scheduling_views.invitations,
        name="invitations",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/invitations/<int:invitation_id>/",
        scheduling_views.invitation_action,
        name="invitation_action",
    ),
    # Invited people without a login: login invitations for all at once, answers the facilitators record.
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/invitations/logins/",
        scheduling_views.send_login_invitations,
        name="invitation_logins",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/invitations/<int:invitation_id>/answer/",
        scheduling_views.invitation_answer,
        name="invitation_answer",
    ),
    # Summaries: drafting, the attribution check, review, sealing, reading (summary_views.py).
    path("summaries/", summary_views.reading_room, name="reading_room"),
    path("dialogues/<int:dialogue_id>/ground-rules/", summary_views.ground_rules, name="ground_rules"),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/summary/",
        summary_views.summary_start,
        name="summary_start",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/",
        summary_views.summary_detail,
        name="summary_detail",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/save/",
        summary_views.summary_save,
        name="summary_save",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/preview/",
        summary_views.summary_preview,
        name="summary_preview",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/mentions/accept/",
        summary_views.summary_accept_mention,
        name="summary_accept_mention",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/review/open/",
        summary_views.summary_open_review,
        name="summary_open_review",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/review/close/",
        summary_views.summary_close_review,
        name="summary_close_review",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/review/extend/",
        steering_views.summary_extend_review,
        name="summary_extend_review",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/review/remind/",
        steering_views.summary_remind,
        name="summary_remind",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/comments/apply/",
        steering_views.summary_apply_correction,
        name="summary_apply_correction",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/comments/",
        summary_views.summary_comment,
        name="summary_comment",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/comments/respond/",
        summary_views.summary_respond,
        name="summary_respond",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/sign-off/",
        summary_views.summary_signoff,
        name="summary_signoff",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/seal/",
        summary_views.summary_seal,
        name="summary_seal",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/seal/progress/",
        summary_views.summary_progress,
        name="summary_progress",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/seal/retry/",
        summary_views.summary_seal_retry,
        name="summary_seal_retry",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/seal/cancel/",
        summary_views.summary_seal_cancel,
        name="summary_seal_cancel",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/download/",
        summary_views.summary_download,
        name="summary_download",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/amend/",
        summary_views.summary_amend,
        name="summary_amend",
    ),
    # A person's own pages.
    path("me/", personal_views.my_workshops, name="my_workshops"),
    path("me/invitations/<int:invitation_id>/", personal_views.rsvp, name="rsvp"),
    path("me/availability/", personal_views.availability, name="availability"),
    path("calendar/", personal_views.calendar_month, name="calendar_month"),
    path("calendar/agenda/", personal_views.calendar_agenda, name="calendar_agenda"),
    path("calendar/settings/", personal_views.calendar_settings, name="calendar_settings"),
    path("calendar/feed/<str:token>.ics", personal_views.calendar_feed, name="calendar_feed"),
]

from django.urls import path

from dialogues import views
from dialogues.destruction import views as destruction_views
from dialogues.insight.views import composition as insight_composition
from dialogues.insight.views import continuity as insight_continuity
from dialogues.insight.views import hub as insight_hub
from dialogues.insight.views import programme as programme_insight
from dialogues.insight.views import ripeness, transfers
from dialogues.names import views as name_views
from dialogues.outcomes import views as outcome_views
from dialogues.owndata import views as owndata_views
from dialogues.personal import views as personal_views
from dialogues.removal import views as removal_views
from dialogues.scheduling.views import agenda, invitations, series, workshops
from dialogues.summaries.steering import views as steering_views
from dialogues.summaries.views import drafts, reading, review, sealing, versions

app_name = "dialogues"

urlpatterns = [
    # Programme insight: the ripeness log (issue 21).
    path("dialogues/<int:dialogue_id>/insight/ripeness/", ripeness.ripeness, name="insight_ripeness"),
    path(
        "dialogues/<int:dialogue_id>/insight/ripeness/new/",
        ripeness.ripeness_new,
        name="insight_ripeness_new",
    ),
    path(
        "dialogues/<int:dialogue_id>/insight/ripeness/<int:entry_id>/edit/",
        ripeness.ripeness_edit,
        name="insight_ripeness_edit",
    ),
    path(
        "dialogues/<int:dialogue_id>/insight/ripeness/<int:entry_id>/delete/",
        ripeness.ripeness_delete,
        name="insight_ripeness_delete",
    ),
    path(
        "dialogues/<int:dialogue_id>/insight/ripeness/entries.csv",
        ripeness.ripeness_csv,
        name="insight_ripeness_csv",
    ),
    path("dialogues/<int:dialogue_id>/", views.dialogue_detail, name="dialogue_detail"),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/",
        workshops.workshop_detail,
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
    # A person's name in other scripts (issue 22).
    path(
        "dialogues/<int:dialogue_id>/people/<int:person_id>/names/",
        name_views.person_names,
        name="person_names",
    ),
    path(
        "dialogues/<int:dialogue_id>/people/<int:person_id>/names/<int:name_id>/remove/",
        name_views.person_name_remove,
        name="person_name_remove",
    ),
    # Destroying a concluded dialogue (issue 23).
    path("dialogues/<int:dialogue_id>/destroy/", destruction_views.destruction, name="destruction"),
    path(
        "dialogues/<int:dialogue_id>/destroy/confirm/",
        destruction_views.destruction_confirm,
        name="destruction_confirm",
    ),
    path(
        "dialogues/<int:dialogue_id>/destroy/withdraw/",
        destruction_views.destruction_withdraw,
        name="destruction_withdraw",
    ),
    path("break-glass/", views.break_glass, name="break_glass"),
    # Programme-wide insight for a Third Party's convenors and facilitators (issue 21).
    path("insight/", programme_insight.programme_insight, name="programme_insight"),
    path("insight/<slug:table>.csv", programme_insight.programme_insight_csv, name="programme_insight_csv"),
    # Programme insight (issue 21).
    path(
        "dialogues/<int:dialogue_id>/insight/continuity/",
        insight_continuity.continuity,
        name="insight_continuity",
    ),
    path(
        "dialogues/<int:dialogue_id>/insight/continuity/<slug:table>.csv",
        insight_continuity.continuity_csv,
        name="insight_continuity_csv",
    ),
    # Outcomes and the transfer pipeline (issue 21).
    path("dialogues/<int:dialogue_id>/outcomes/", outcome_views.outcome_list, name="outcome_list"),
    path("dialogues/<int:dialogue_id>/outcomes/new/", outcome_views.outcome_create, name="outcome_create"),
    path(
        "dialogues/<int:dialogue_id>/outcomes/<int:outcome_id>/",
        outcome_views.outcome_detail,
        name="outcome_detail",
    ),
    path(
        "dialogues/<int:dialogue_id>/insight/transfers/",
        transfers.insight_transfers,
        name="insight_transfers",
    ),
    path(
        "dialogues/<int:dialogue_id>/insight/transfers/<slug:table>.csv",
        transfers.insight_transfers_csv,
        name="insight_transfers_csv",
    ),
    # The facilitator workspace.
    path("dialogues/new/", views.dialogue_create, name="dialogue_create"),
    path("dialogues/<int:dialogue_id>/dashboard/", views.dashboard, name="dashboard"),
    path("dialogues/<int:dialogue_id>/edit/", views.dialogue_edit, name="dialogue_edit"),
    path("dialogues/<int:dialogue_id>/status/", views.dialogue_status, name="dialogue_status"),
    path("dialogues/<int:dialogue_id>/sides/", views.side_add, name="side_add"),
    path("dialogues/<int:dialogue_id>/series/new/", series.series_create, name="series_create"),
    path(
        "dialogues/<int:dialogue_id>/series/<int:series_id>/",
        series.series_detail,
        name="series_detail",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/edit/",
        workshops.workshop_edit,
        name="workshop_edit",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/clone/",
        workshops.workshop_clone,
        name="workshop_clone",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/cancel/",
        workshops.workshop_cancel,
        name="workshop_cancel",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/held/",
        workshops.workshop_held,
        name="workshop_held",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/agenda/",
        agenda.agenda,
        name="agenda",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/agenda/<int:item_id>/",
        agenda.agenda_item,
        name="agenda_item",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/agenda/<int:item_id>/edit/",
        agenda.agenda_item_edit,
        name="agenda_item_edit",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/run-sheet/",
        agenda.run_sheet,
        name="run_sheet",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/run-sheet.pdf",
        agenda.run_sheet_pdf,
        name="run_sheet_pdf",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/invitations/",
        invitations.invitations,
        name="invitations",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/invitations/<int:invitation_id>/",
        invitations.invitation_action,
        name="invitation_action",
    ),
    # Invited people without a login: login invitations for all at once, answers the facilitators record.
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/invitations/logins/",
        invitations.send_login_invitations,
        name="invitation_logins",
    ),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/invitations/<int:invitation_id>/answer/",
        invitations.invitation_answer,
        name="invitation_answer",
    ),
    # Summaries: drafting, the attribution check, review, sealing, reading (dialogues/summaries/views/).
    path("summaries/", reading.reading_room, name="reading_room"),
    path("dialogues/<int:dialogue_id>/ground-rules/", reading.ground_rules, name="ground_rules"),
    path(
        "dialogues/<int:dialogue_id>/workshops/<int:workshop_id>/summary/",
        drafts.summary_start,
        name="summary_start",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/",
        drafts.summary_detail,
        name="summary_detail",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/save/",
        drafts.summary_save,
        name="summary_save",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/preview/",
        drafts.summary_preview,
        name="summary_preview",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/mentions/accept/",
        drafts.summary_accept_mention,
        name="summary_accept_mention",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/language/",
        versions.summary_language,
        name="summary_language",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/versions/",
        versions.summary_version_save,
        name="summary_version_save",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/versions/remove/",
        versions.summary_version_remove,
        name="summary_version_remove",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/review/open/",
        review.summary_open_review,
        name="summary_open_review",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/review/close/",
        review.summary_close_review,
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
        review.summary_comment,
        name="summary_comment",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/comments/respond/",
        review.summary_respond,
        name="summary_respond",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/sign-off/",
        review.summary_signoff,
        name="summary_signoff",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/seal/",
        sealing.summary_seal,
        name="summary_seal",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/seal/progress/",
        sealing.summary_progress,
        name="summary_progress",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/seal/retry/",
        sealing.summary_seal_retry,
        name="summary_seal_retry",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/seal/cancel/",
        sealing.summary_seal_cancel,
        name="summary_seal_cancel",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/download/",
        reading.summary_download,
        name="summary_download",
    ),
    path(
        "dialogues/<int:dialogue_id>/summaries/<int:summary_id>/amend/",
        drafts.summary_amend,
        name="summary_amend",
    ),
    # A person's own pages.
    path("me/", personal_views.my_workshops, name="my_workshops"),
    # A person's own data and their erasure request (issue 23).
    path("me/data/", owndata_views.own_data, name="own_data"),
    path("me/data/export.json", owndata_views.own_data_export, name="own_data_export"),
    path("me/data/erasure/", owndata_views.erasure_request, name="erasure_request"),
    path("me/data/erasure/withdraw/", owndata_views.erasure_withdraw, name="erasure_withdraw"),
    path(
        "dialogues/<int:dialogue_id>/erasure-requests/<int:request_id>/",
        owndata_views.erasure_answer,
        name="erasure_answer",
    ),
    path(
        "dialogues/<int:dialogue_id>/erasure-requests/<int:request_id>/erase/",
        owndata_views.erasure_erase,
        name="erasure_erase",
    ),
    # Requests of people in no dialogue: the administrators answer them.
    path("staff/erasure-requests/", owndata_views.staff_erasure_requests, name="staff_erasure_requests"),
    path(
        "staff/erasure-requests/<int:request_id>/",
        owndata_views.staff_erasure_answer,
        name="staff_erasure_answer",
    ),
    path(
        "staff/erasure-requests/<int:request_id>/erase/",
        owndata_views.staff_erasure_erase,
        name="staff_erasure_erase",
    ),
    path("me/invitations/<int:invitation_id>/", personal_views.rsvp, name="rsvp"),
    path("me/availability/", personal_views.availability, name="availability"),
    path("calendar/", personal_views.calendar_month, name="calendar_month"),
    path("calendar/agenda/", personal_views.calendar_agenda, name="calendar_agenda"),
    path("calendar/settings/", personal_views.calendar_settings, name="calendar_settings"),
    path("calendar/feed/<str:token>.ics", personal_views.calendar_feed, name="calendar_feed"),
    # Insight (issue 21): a dialogue's convenors and facilitators only.
    path("dialogues/<int:dialogue_id>/insight/", insight_hub.insight, name="insight"),
    path(
        "dialogues/<int:dialogue_id>/insight/composition/",
        insight_composition.insight_composition,
        name="insight_composition",
    ),
    path(
        "dialogues/<int:dialogue_id>/insight/composition/<slug:table>.csv",
        insight_composition.insight_composition_csv,
        name="insight_composition_csv",
    ),
]

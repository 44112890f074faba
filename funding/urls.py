from django.urls import path

from funding import views, views_disclosures, views_funders, views_members

app_name = "funding"

urlpatterns = [
    path("funding/", views.grant_list, name="grant_list"),
    path("funding/export.csv", views.grant_export, name="grant_export"),
    path("funding/grants/new/", views.grant_create, name="grant_create"),
    path("funding/grants/<int:grant_id>/", views.grant_detail, name="grant_detail"),
    path("funding/grants/<int:grant_id>/edit/", views.grant_edit, name="grant_edit"),
    path("funding/grants/<int:grant_id>/status/", views.grant_status, name="grant_status"),
    path("funding/grants/<int:grant_id>/conditions/", views.condition_add, name="condition_add"),
    path(
        "funding/grants/<int:grant_id>/conditions/<int:condition_id>/ruling/",
        views.condition_rule,
        name="condition_rule",
    ),
    path(
        "funding/grants/<int:grant_id>/conditions/<int:condition_id>/confirm/",
        views.condition_confirm,
        name="condition_confirm",
    ),
    path("funding/grants/<int:grant_id>/expenses/", views.expense_add, name="expense_add"),
    path(
        "funding/grants/<int:grant_id>/expenses/<int:expense_id>/remove/",
        views.expense_remove,
        name="expense_remove",
    ),
    path("funding/grants/<int:grant_id>/disclosures/", views_disclosures.disclosures, name="disclosures"),
    path(
        "funding/grants/<int:grant_id>/disclosures/<int:disclosure_id>/download/",
        views_disclosures.disclosure_download,
        name="disclosure_download",
    ),
    path("funding/funders/", views_funders.funder_list, name="funder_list"),
    path("funding/funders/new/", views_funders.funder_create, name="funder_create"),
    path("funding/funders/<int:funder_id>/", views_funders.funder_detail, name="funder_detail"),
    path("funding/funders/<int:funder_id>/officers/", views_funders.officer_add, name="officer_add"),
    path(
        "funding/funders/<int:funder_id>/officers/<int:person_id>/remove/",
        views_funders.officer_remove,
        name="officer_remove",
    ),
    path("funding/dialogues/<int:dialogue_id>/approval/", views_members.approval, name="approval"),
]

from django.urls import path

from funding.approval import views as approval
from funding.disclosures import views as disclosures
from funding.funders import views as funders
from funding.grants import views as grants
from funding.insight import views as insight

app_name = "funding"

urlpatterns = [
    path("funding/", grants.grant_list, name="grant_list"),
    path("funding/export.csv", grants.grant_export, name="grant_export"),
    path("funding/grants/new/", grants.grant_create, name="grant_create"),
    path("funding/grants/<int:grant_id>/", grants.grant_detail, name="grant_detail"),
    path("funding/grants/<int:grant_id>/edit/", grants.grant_edit, name="grant_edit"),
    path("funding/grants/<int:grant_id>/status/", grants.grant_status, name="grant_status"),
    path("funding/grants/<int:grant_id>/conditions/", grants.condition_add, name="condition_add"),
    path(
        "funding/grants/<int:grant_id>/conditions/<int:condition_id>/ruling/",
        grants.condition_rule,
        name="condition_rule",
    ),
    path(
        "funding/grants/<int:grant_id>/conditions/<int:condition_id>/confirm/",
        grants.condition_confirm,
        name="condition_confirm",
    ),
    path("funding/grants/<int:grant_id>/expenses/", grants.expense_add, name="expense_add"),
    path(
        "funding/grants/<int:grant_id>/expenses/<int:expense_id>/remove/",
        grants.expense_remove,
        name="expense_remove",
    ),
    path("funding/grants/<int:grant_id>/disclosures/", disclosures.disclosures, name="disclosures"),
    path(
        "funding/grants/<int:grant_id>/disclosures/<int:disclosure_id>/download/",
        disclosures.disclosure_download,
        name="disclosure_download",
    ),
    path(
        "funding/grants/<int:grant_id>/activity/<slug:table>.csv",
        insight.activity_csv,
        name="activity_csv",
    ),
    path("funding/funders/", funders.funder_list, name="funder_list"),
    path("funding/funders/new/", funders.funder_create, name="funder_create"),
    path("funding/funders/<int:funder_id>/", funders.funder_detail, name="funder_detail"),
    path("funding/funders/<int:funder_id>/officers/", funders.officer_add, name="officer_add"),
    path(
        "funding/funders/<int:funder_id>/officers/<int:person_id>/remove/",
        funders.officer_remove,
        name="officer_remove",
    ),
    path("funding/dialogues/<int:dialogue_id>/approval/", approval.approval, name="approval"),
]

"""Funders are public record; grants, conditions and expenses belong to dialogues and are not in the admin."""

from django.contrib import admin

from funding.models import Funder


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "country"]
    exclude = ["officers"]

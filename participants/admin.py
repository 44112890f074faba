"""Staff housekeeping of non-confidential records only. People, memberships and everything holding dialogue
content are deliberately not registered: superuser status does not open confidential content."""

from django.contrib import admin

from participants.models import ThirdParty


@admin.register(ThirdParty)
class ThirdPartyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "country"]
    search_fields = ["name", "short_name"]

"""The Third Party's own record is the one thing of this app in the admin. People, memberships and everything
holding dialogue content are deliberately not registered: superuser status does not open confidential
content. A Third Party is never deleted here: its delete page listed its dialogues and grants."""

from django.contrib import admin

from participants.models import ThirdParty
from trackii.admin import HousekeepingAdmin


@admin.register(ThirdParty)
class ThirdPartyAdmin(HousekeepingAdmin):
    list_display = ["name", "short_name", "country"]
    search_fields = ["name", "short_name"]

"""What every page of the Django admin may do (docs/decisions/0013-admin.md).

The admin is kept for two chores, logins and the Third Party's own record, until staff administration has
pages of its own. Each chore's ModelAdmin is a HousekeepingAdmin; `trackii/urls.py` takes every other model
out of the admin, whatever a library registers. Nothing here deletes: the confirmation page lists every row a
deletion would take along (role groups, grants, a funder's amounts) by name. Nothing here keeps a history
page either: the audit log is the record, and Django's history page answered 403 for an id that exists and a
redirect for one that does not. Both answer the ordinary 404, as a missing id does on the change page. A list
filters only by the filters it offers.
"""

from django.contrib import admin
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404


class HousekeepingAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def delete_view(self, request, object_id, extra_context=None):
        raise Http404

    def history_view(self, request, object_id, extra_context=None):
        raise Http404

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django's answer to a missing id is a redirect whose flash message repeats the id; Trackii's is 404.
        raise Http404

    def lookup_allowed(self, lookup, value, request) -> bool:
        # Django takes a lookup on any field of the model, and one relation deep, from the query string,
        # whether the list offers it or not: `?groups=12` counted the logins holding a role group and
        # `?q=<address>&groups=12` told whether that person holds it. Only the list's own filters count.
        offered = {name for name in self.get_list_filter(request) if isinstance(name, str)}
        if lookup.split(LOOKUP_SEP, 1)[0] not in offered:
            return False
        return super().lookup_allowed(lookup, value, request)

"""The "destroyed on …" page in front of every page of a destroyed dialogue (issue 23).

Every URL that names a dialogue (`dialogue_id`) of one the user held a role in and that was destroyed answers
with the page that says so: 410 Gone for its pages and downloads, 200 for the dialogue's own page and its
destruction page, instead of a page of blanks or a crash on a value that can no longer be read. It asks only
`dialogue_access`, which every such page reads anyway (the destroyed dialogues come in the same query).
Anyone who held no role in it gets the page's own answer: the ordinary 404, as `dialogue_access` grants
nothing on a destroyed dialogue."""

from django.shortcuts import render

from dialogues.destruction import selectors
from dialogues.permissions import dialogue_access

# The pages that show the destruction itself with 200: the dialogue's page to all who held a role, its
# destruction page to its convenors (to others it is one more page of the dialogue: 410).
SHOWN = "dialogues:dialogue_detail"
SHOWN_TO_CONVENORS = "dialogues:destruction"


class DestroyedDialogueMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        dialogue_id = view_kwargs.get("dialogue_id")
        user = getattr(request, "user", None)
        if dialogue_id is None or user is None or not user.is_authenticated:
            return None
        codenames = dialogue_access(user).destroyed.get(dialogue_id)
        if codenames is None:
            return None
        return gone(request, dialogue_id=dialogue_id, codenames=codenames)


def gone(request, *, dialogue_id: int, codenames: frozenset[str]):
    destruction = selectors.destroyed(dialogue_id=dialogue_id)
    view_name = request.resolver_match.view_name if request.resolver_match is not None else ""
    is_convenor = "manage_members" in codenames
    shown = view_name == SHOWN or (view_name == SHOWN_TO_CONVENORS and is_convenor)
    if destruction is None:
        # A database restored from a backup made before the destruction: its key is gone, its record is not.
        context = {"dialogue": selectors.destroyed_since_backup(dialogue_id=dialogue_id)}
    else:
        context = {
            "destruction": destruction,
            "dialogue": destruction.dialogue,
            "requested": selectors.account_label(destruction.requested_by),
            "confirmed": selectors.account_label(destruction.confirmed_by),
        }
    context["is_convenor"] = is_convenor
    return render(request, "dialogues/destruction/destroyed.html", context, status=200 if shown else 410)

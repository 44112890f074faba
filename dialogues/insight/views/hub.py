"""The insight hub of a dialogue: what each insight page shows, and the way to it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from dialogues.http import GET
from dialogues.insight.views.common import insight_dialogue


@login_required
@require_http_methods(GET)
def insight(request, dialogue_id: int):
    dialogue = insight_dialogue(request, dialogue_id)
    views = [
        {
            "title": gettext("Composition"),
            "url": reverse("dialogues:insight_composition", args=[dialogue.pk]),
            "shows": gettext(
                "Who held the seats at each workshop, by side and by proximity to officialdom (serving "
                "and former officials, people close to government, civil society, independent experts), the "
                "balance between the sides, and the roster now."
            ),
            "asks": gettext(
                "Are the people in the room close enough to officialdom for ideas to travel, yet free "
                "enough to think beyond official positions? Does one side fill the room?"
            ),
        },
        {
            "title": gettext("Continuity"),
            "url": reverse("dialogues:insight_continuity", args=[dialogue.pk]),
            "shows": gettext(
                "For each workshop, how many attendees were at the one before, who is new, and who has "
                "dropped away (by pseudonym), with retention across the series."
            ),
            "asks": gettext(
                "Is this an ongoing process with the same people, or a string of one-off workshops?"
            ),
        },
        {
            "title": gettext("Ripeness log"),
            "url": reverse("dialogues:insight_ripeness", args=[dialogue.pk]),
            "shows": gettext(
                "Dated notes about the official process (talks opened or broke down, an election, a "
                "ceasefire) beside the workshops' timeline, written by the facilitators and encrypted at "
                "rest."
            ),
            "asks": gettext("Is the moment ripe for what the dialogue produces?"),
        },
        {
            "title": gettext("Transfers"),
            "url": reverse("dialogues:insight_transfers", args=[dialogue.pk]),
            "shows": gettext(
                "The dialogue's outcomes on their way to official diplomacy: idea raised, written up, "
                "shared with officials, taken up, reflected in an official outcome, with dates, channels and "
                "who carried them (by pseudonym)."
            ),
            "asks": gettext("Which ideas travelled to Track One, and where do the others stop?"),
        },
    ]
    return render(request, "dialogues/insight/hub.html", {"dialogue": dialogue, "views": views})

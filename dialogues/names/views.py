"""The person's names page: their name as on file and the other forms this dialogue recorded, with a form to
add one and a button to remove each. It needs `manage_members` on the dialogue (the convenor, who records
people's names on the roster) and someone who is or was in it (whom its attribution guard looks for:
`dialogue_people`); anyone else is the 404 of a missing page, so a convenor learns nothing of people
outside the dialogues they convene. Forms another dialogue recorded are neither shown nor removable here
(a 404, audited as denied): its guard still looks for them, and so does this one's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dialogues import selectors
from dialogues.http import GET_POST, POST
from dialogues.models import Dialogue
from dialogues.names.forms import NameFormForm
from participants.models import Person, PersonName
from participants.selectors import pseudonyms_in
from participants.services import add_name_form, remove_name_form
from trackii.permissions import fetch_or_404
from trackii.refusals import add_errors, form_status
from trackii.scripts import dominant_script, script_label


def _convened(request, dialogue_id: int) -> Dialogue:
    return fetch_or_404(
        request, selectors.dialogues_for_user(user=request.user, codename="manage_members"), pk=dialogue_id
    )


def _person(request, dialogue: Dialogue, person_id: int) -> Person:
    return fetch_or_404(request, selectors.dialogue_people(dialogue=dialogue), pk=person_id)


def _recorded_here(person: Person, dialogue: Dialogue):
    return PersonName.objects.filter(person=person, recorded_in=dialogue)


@login_required
@require_http_methods(GET_POST)
def person_names(request, dialogue_id: int, person_id: int):
    dialogue = _convened(request, dialogue_id)
    person = _person(request, dialogue, person_id)
    form = NameFormForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            add_name_form(
                person=person, name=form.cleaned_data["name"], by=request.user, dialogue_id=dialogue.pk
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Name form added. The attribution check now looks for it too."))
            return redirect("dialogues:person_names", dialogue_id=dialogue.pk, person_id=person.pk)
    context = {
        "dialogue": dialogue,
        "person": person,
        # A member by their pseudonym here, and where the convenor convenes them elsewhere (decision 0026).
        "pseudonym": pseudonyms_in(dialogue_id=dialogue.pk, person_ids=[person.pk]).get(person.pk, ""),
        "also_in": selectors.also_in(user=request.user, dialogue=dialogue, person_ids=[person.pk]).get(
            person.pk, ()
        ),
        "main_script": script_label(dominant_script(person.name)),
        "other_names": list(_recorded_here(person, dialogue)),
        "form": form,
    }
    return render(request, "dialogues/names/person_names.html", context, status=form_status(form))


@login_required
@require_http_methods(POST)
def person_name_remove(request, dialogue_id: int, person_id: int, name_id: int):
    dialogue = _convened(request, dialogue_id)
    person = _person(request, dialogue, person_id)
    name_form = fetch_or_404(request, _recorded_here(person, dialogue), pk=name_id)
    remove_name_form(name_form=name_form, by=request.user)
    messages.success(request, _("Name form removed. The attribution check no longer looks for it."))
    return redirect("dialogues:person_names", dialogue_id=dialogue.pk, person_id=person.pk)

"""A script typed into any free-text field comes back as text, never as markup: in every form of the
project when it is re-displayed, and on the pages that show what was stored."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.urls import reverse

from dialogues import services as dialogue_services
from dialogues.enums import DialogueRole
from dialogues.models import Dialogue
from funding.models import Funder
from participants.models import Person, ThirdParty
from tests.accounts.helpers import enrol_totp
from tests.factories import DialogueFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
RAW = ("<script>alert(1)", "<img src=x onerror")
PROJECT_APPS = ("trackii", "dialogues", "participants", "funding")


def project_forms() -> list[type[forms.BaseForm]]:
    found = {}
    for top in PROJECT_APPS:
        package = importlib.import_module(top)
        names = [top] + [
            f"{top}.{m.name}" for m in pkgutil.walk_packages(package.__path__) if m.name.endswith("forms")
        ]
        for name in names:
            if not name.endswith("forms"):
                continue
            module = importlib.import_module(name)
            for obj in vars(module).values():
                if (
                    inspect.isclass(obj)
                    and issubclass(obj, forms.BaseForm)
                    and obj.__module__ == module.__name__
                    and not obj.__name__.startswith("_")
                ):
                    found[f"{obj.__module__}.{obj.__name__}"] = obj
    return list(found.values())


def build(form_class, data, *, dialogue):
    kwargs = {}
    available = {
        "dialogue": dialogue,
        "dialogues": Dialogue.objects.all(),
        "people": Person.objects.all(),
        "members": Person.objects.all(),
        "third_parties": ThirdParty.objects.all(),
        "funders": Funder.objects.all(),
        "tz_name": "Europe/Oslo",
        "sections": ["Context", "Options discussed"],
        "needs_ground_rules": True,
    }
    for name, parameter in inspect.signature(form_class.__init__).parameters.items():
        if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
            assert name in available, f"{form_class.__name__} needs {name}: add it to test_xss.build"
            kwargs[name] = available[name]
    return form_class(data, **kwargs)


def test_every_project_form_renders_a_script_payload_inert(capsys):
    dialogue = DialogueFactory()
    classes = project_forms()
    fields = 0
    for form_class in classes:
        form = build(form_class, {}, dialogue=dialogue)
        data = {name: PAYLOAD for name in form.fields}
        form = build(form_class, data, dialogue=dialogue)
        form.is_valid()
        html = str(form)
        for raw in RAW:
            assert raw not in html, f"{form_class.__name__} renders {raw!r} as markup"
        fields += len(form.fields)
    with capsys.disabled():
        print(f"\nXSS: {len(classes)} forms, {fields} fields given a script payload")
    assert len(classes) >= 5


def test_stored_payload_is_shown_as_text_on_the_pages(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    dialogue = DialogueFactory(title=PAYLOAD, ground_rules=PAYLOAD)
    convenor = PersonFactory(name=PAYLOAD, user=UserFactory())
    dialogue_services.assign_role(dialogue=dialogue, person=convenor, role=DialogueRole.CONVENOR, by=admin)
    PersonFactory(name=PAYLOAD)
    newcomer = PersonFactory(name=PAYLOAD)
    dialogue_services.assign_role(dialogue=dialogue, person=newcomer, role=DialogueRole.OBSERVER, by=admin)
    enrol_totp(convenor.user)
    client.force_login(convenor.user)
    pages = [
        reverse("home"),
        reverse("accounts:account"),
        reverse("accounts:invitations", kwargs={"dialogue_id": dialogue.pk}),
        reverse("dialogues:dialogue_detail", kwargs={"dialogue_id": dialogue.pk}),
        reverse("dialogues:members", kwargs={"dialogue_id": dialogue.pk}),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        assert "&lt;script&gt;alert(1)" in body or page == reverse("home"), page
        for raw in RAW:
            assert raw not in body, (page, raw)

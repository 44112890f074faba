"""The foundation's one door to the domain apps.

The foundation (crypto, permissions, audit, sealing, accounts) never imports dialogues, participants or
funding. Where it must ask them something (who belongs to a dialogue, who is in a facilitation team, what
follows when an invited person accepts, a dialogue's codename for the auditors), it calls the module that
`settings.TRACKII_DOMAIN_HOOKS` names, which lives on the composition floor (trackii/domain_hooks.py) and
may import every app. Sealing has its own door of the same kind: `settings.TRACKII_SEALERS`.

`DomainHooks` names what the audit app asks; tests/audit/test_labels.py checks the module answers it.
"""

from importlib import import_module
from types import ModuleType
from typing import Protocol

from django.conf import settings


class DomainHooks(Protocol):
    """What the auditors' pages ask the domain (the other questions are plain functions of the module)."""

    def dialogue_id_for_codename(self, codename: str) -> int | None: ...

    def dialogue_codenames(self, dialogue_ids) -> dict[int, str]: ...

    def audit_object_labels(self, targets: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """A label per (target type, target id) of audit rows, in a bounded number of queries for any number
        of rows (one per type): codenames, numbers, versions and pseudonyms, never titles, names, e-mail
        addresses or content. Unknown or deleted targets are left out."""
        ...


def domain() -> ModuleType:
    return import_module(settings.TRACKII_DOMAIN_HOOKS)

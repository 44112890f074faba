"""The foundation's one door to the domain apps.

The foundation (crypto, permissions, audit, sealing, accounts) never imports dialogues, participants or
funding. Where it must ask them something (who belongs to a dialogue, who is in a facilitation team, what
follows when an invited person accepts, a dialogue's codename for the auditors), it calls the module that
`settings.TRACKII_DOMAIN_HOOKS` names, which lives on the composition floor (trackii/domain_hooks.py) and
may import every app. Sealing has its own door of the same kind: `settings.TRACKII_SEALERS`.
"""

from importlib import import_module
from types import ModuleType

from django.conf import settings


def domain() -> ModuleType:
    return import_module(settings.TRACKII_DOMAIN_HOOKS)

"""The project's URLs and one view that reaches a value under a destroyed key, for the 410 safety net's test
(tests/dialogues/destruction/test_pages.py)."""

from django.urls import path

from trackii.crypto import KeyDestroyed
from trackii.urls import urlpatterns as project


def reaches_a_destroyed_value(request):
    raise KeyDestroyed("Data key 0123456789abcdef is not in the keystore: it was destroyed.")


urlpatterns = [path("test/destroyed/", reaches_a_destroyed_value), *project]

"""`{% id_url %}` writes the same URL as `{% url %}` for every name a template uses it with: the page's HTML
does not change when a list page reverses its rows' URLs once per process."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import NoReverseMatch, get_resolver, reverse, set_script_prefix

from trackii.templatetags import trackii_pages

TEMPLATES = Path(settings.BASE_DIR) / "templates"
TAG = re.compile(r"{% id_url '([\w:]+)'((?: [\w.]+)*) %}")


def _uses() -> set[tuple[str, int]]:
    """Every (URL name, number of ids) that a template passes to id_url."""
    return {
        (name, len(args.split()))
        for path in TEMPLATES.rglob("*.html")
        for name, args in TAG.findall(path.read_text())
    }


def _render(name: str, ids, *, autoescape: bool = True) -> str:
    args = " ".join(f"i{n}" for n in range(len(ids)))
    tags = f"{{% id_url '{name}' {args} %}}|{{% url '{name}' {args} %}}"
    template = Template("{% load trackii_pages %}" + tags)
    return template.render(Context({f"i{n}": i for n, i in enumerate(ids)}, autoescape=autoescape))


@pytest.fixture
def fresh_cache():
    trackii_pages._templates.clear()
    yield
    trackii_pages._templates.clear()
    set_script_prefix("/")


def test_id_url_is_used_on_the_list_pages():
    names = {name for name, _ in _uses()}
    assert {"dialogues:summary_detail", "dialogues:workshop_detail", "funding:grant_detail"} <= names


@pytest.mark.parametrize("prefix", ["/", "/trackii/", "/a&b/"])
def test_id_url_equals_reverse_for_every_name_used(fresh_cache, prefix):
    set_script_prefix(prefix)
    for name, count in sorted(_uses()):
        for ids in [tuple(range(1, count + 1)), tuple(10**n + 7 for n in range(count)), (0,) * count]:
            ours, django = _render(name, ids).split("|")
            assert ours == django, name
            assert ours.startswith(prefix.replace("&", "&amp;")), name
            # The second call is served from the cache, and says the same.
            assert _render(name, ids).split("|")[0] == ours
            assert reverse(name, args=ids) in _render(name, ids, autoescape=False)


def test_id_url_follows_the_script_prefix_it_is_called_under(fresh_cache):
    first = _render("dialogues:summary_detail", (3, 4)).split("|")[0]
    set_script_prefix("/elsewhere/")
    second = _render("dialogues:summary_detail", (3, 4)).split("|")[0]
    assert (first, second) == ("/dialogues/3/summaries/4/", "/elsewhere/dialogues/3/summaries/4/")


def test_id_url_leaves_what_is_not_an_id_to_reverse(fresh_cache):
    # A digit string is reversed as {% url %} reverses it; a negative number or None is refused the same way.
    path = "/dialogues/3/summaries/4/"
    assert _render("dialogues:summary_detail", ("3", 4)) == f"{path}|{path}"
    for ids in [(-1, 4), (None, 4)]:
        with pytest.raises(NoReverseMatch):
            _render("dialogues:summary_detail", ids)


def test_every_id_url_name_has_only_integer_ids():
    """The tag is only used where each argument is an <int:…> of the pattern."""
    resolver = get_resolver()
    for name, count in _uses():
        namespace, _, short = name.rpartition(":")
        found = resolver.namespace_dict[namespace][1] if namespace else resolver
        possibilities, pattern, _, converters = found.reverse_dict.getlist(short)[0]
        _, params = possibilities[0]
        assert len(params) == count, name
        assert all(type(converters[p]).__name__ == "IntConverter" for p in params), (name, pattern)

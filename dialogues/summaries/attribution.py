"""The attribution guard: find where a draft names, or points at, a member of its dialogue.

A summary records what was said, never who said it or who was there (the Chatham House Rule). Before a draft
goes to review and before it is sealed, it is scanned for the names, name parts, pseudonyms, e-mail
addresses and affiliations of everyone in the dialogue; each hit must be removed or explicitly accepted (a
facilitator may decide that an affiliation named in a public statement is fine, for instance).

Accepted terms are kept as blind indexes, so the database never stores the names the guard found.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

import nh3
from django.utils.translation import pgettext_lazy

from dialogues.summaries import matching
from dialogues.templatetags.trackii_text import markdown
from trackii.crypto import blind_index
from trackii.scripts import dominant_script

MENTION_PURPOSE = "summary.mention"
# Name parts shorter than this ("Li", "Ana") match too many ordinary words to be worth a flag on their own;
# the full name is still checked.
MIN_NAME_PART = 4
# Hebrew and Arabic leave most vowels unwritten, so a given name is often three letters ("הדס", "علي").
MIN_UNVOCALISED_PART = 3
UNVOCALISED = frozenset({"Arabic", "Hebrew"})
# A name part in Chinese, Japanese or Korean: two characters (a given name) say enough.
MIN_UNSPACED_PART = 2
# What each kind of term is called on the draft's page, in the reader's language (`Term.kind` stays the key).
KIND_LABELS = {
    "name": pgettext_lazy("a kind of term the attribution check finds", "name"),
    "name part": pgettext_lazy("a kind of term the attribution check finds", "part of a name"),
    "pseudonym": pgettext_lazy("a kind of term the attribution check finds", "pseudonym"),
    "e-mail": pgettext_lazy("a kind of term the attribution check finds", "e-mail address"),
    "affiliation": pgettext_lazy("a kind of term the attribution check finds", "affiliation"),
}
CONTEXT = 50
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
# A word broken at the end of a line with a hyphen ("Kor-" / "vin"): read joined as well.
_HYPHENATED = re.compile(r"(?<=\w)-[ \t]*\n\s*(?=\w)")


@dataclass(frozen=True)
class Term:
    text: str
    kind: str  # "name", "name part", "pseudonym", "e-mail", "affiliation"
    # Other texts on file that fold to the same spelling ("Корвин" beside "Korvin"): the same term, but each
    # has its own look-alike reading ("Kopвин", Latin letters passing for Cyrillic, reads as "Корвин").
    variants: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return mention_key(self.text)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def keys(self) -> set[str]:
        """The key, and the one accepted mentions were stored under before names were folded."""
        return {self.key, legacy_mention_key(self.text)}


@dataclass(frozen=True)
class Mention:
    term: Term
    section: str
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class Finding:
    """One term found in the draft: where it occurs, and whether a facilitator has accepted it."""

    term: Term
    mentions: list[Mention]
    accepted: bool


def mention_key(text: str) -> str:
    """Keyed on the folded name, so accepting "Korvin" accepts "Корвин" and "KORVIN" too: the facilitator
    judged the mention of that person, not of one spelling, and the same person in another script must not
    come back as a new flag after every edit (nor may a spelling escape a decision that was not made)."""
    return blind_index(matching.fold_key(text), purpose=MENTION_PURPOSE)


def legacy_mention_key(text: str) -> str:
    """What accepted mentions were keyed on before names were folded (still honoured: no migration needed,
    and for a plain Latin name without diacritics it is the same key)."""
    return blind_index(" ".join(text.split()).casefold(), purpose=MENTION_PURPOSE)


def _name_forms(person) -> list[str]:
    """The person's main name, then every other form on file (prefetched by the selector: no query here)."""
    forms = [person.name]
    other = getattr(person, "other_names", None)
    if other is not None:
        forms.extend(form.name for form in other.all())
    return forms


def _long_enough(part: str) -> bool:
    if matching.unspaced(part):
        return matching.letter_count(part) >= MIN_UNSPACED_PART
    if dominant_script(part) in UNVOCALISED:
        return matching.letter_count(part) >= MIN_UNVOCALISED_PART
    return matching.letter_count(part) >= MIN_NAME_PART


def _parts(form: str) -> list[str]:
    """The parts of a name worth a flag of their own. A name in Chinese or Korean is written without a space
    between family and given name ("王小明", "김민준"): the given name is the name without its first
    character, or its first two (a two-character family name, "欧阳"), where two characters remain."""
    parts = [part for part in re.split(r"[\s\-]+", form) if part != form]
    if matching.unspaced(form) and " " not in form:
        parts += [form[skip:] for skip in (1, 2) if matching.letter_count(form[skip:]) >= MIN_UNSPACED_PART]
    return [part for part in parts if _long_enough(part)]


def terms_for(people) -> list[Term]:
    """What to look for, from Person rows (decrypted by the model) with their other names prefetched and,
    annotated, the pseudonyms of their memberships (`dialogue_pseudonyms`). Two
    texts that fold alike ("Korvin Asteli", "KORVIN ASTELI") are one term."""
    found: dict[str, Term] = {}

    def add(text: str | None, kind: str) -> None:
        text = " ".join((text or "").split())
        key = matching.fold_key(text)
        if not text or not key:
            return
        if key not in found:
            found[key] = Term(text=text, kind=kind)
        elif text != found[key].text and text not in found[key].variants:
            term = found[key]
            found[key] = Term(text=term.text, kind=term.kind, variants=(*term.variants, text))

    for person in people:
        forms = _name_forms(person)
        for form in forms:
            add(form, "name")
        add(person.pseudonym, "pseudonym")
        # Every pseudonym they go by in any dialogue (decision 0026), when the caller read them along
        # (`dialogue_pseudonyms`, separated by spaces: a pseudonym holds none).
        for pseudonym in (getattr(person, "dialogue_pseudonyms", None) or "").split():
            add(pseudonym, "pseudonym")
        add(person.email, "e-mail")
        add(person.affiliation, "affiliation")
        for form in forms:
            for part in _parts(form or ""):
                add(part, "name part")
    # Longest first, so "Amira Haddad" is reported before "Haddad".
    return sorted(found.values(), key=lambda term: -len(matching.fold_key(term.text)))


def _section_at(text: str, position: int) -> str:
    section = ""
    for heading in _HEADING.finditer(text):
        if heading.start() > position:
            break
        section = heading.group(1)
    return section


def visible_text(text: str) -> str:
    """What a reader of the page or the sealed PDF sees of a Markdown draft: rendered by the same filter,
    every tag dropped (so "Kor**vin**", "Kor<span>vin</span>" and "Kor<!-- -->vin" read "Korvin"), every
    character reference decoded ("K&#111;rvin"), and a word hyphenated across a line break joined."""
    plain = html.unescape(nh3.clean(str(markdown(text)), tags=set()))
    return _HYPHENATED.sub("", plain)


def scan(text: str, terms: list[Term], *, accepted: set[str] = frozenset()) -> list[Finding]:
    """Every term found in the draft as written and as it reads once rendered (`visible_text`): a term found
    only once rendered, or more often, is reported with the rendered words around it."""
    found = {finding.term.key: finding for finding in _scan(text, terms, accepted=accepted)}
    for finding in _scan(visible_text(text), terms, accepted=accepted):
        known = found.get(finding.term.key)
        if known is None:
            found[finding.term.key] = finding
        elif len(finding.mentions) > len(known.mentions):
            extra = finding.mentions[len(known.mentions) :]
            found[finding.term.key] = replace(known, mentions=[*known.mentions, *extra])
    order = {term.key: position for position, term in enumerate(terms)}
    return sorted(found.values(), key=lambda finding: order.get(finding.term.key, len(order)))


def _scan(text: str, terms: list[Term], *, accepted: set[str] = frozenset()) -> list[Finding]:
    """Every term found in `text`, with each occurrence in context (the draft's own words, whatever the fold
    made of them); a span already reported for a longer term (the full name) is not reported again for a
    shorter one (the surname), nor in the second reading for the first."""
    readings = {how: [matching.fold(text, how)] for how in matching.FOLDS}
    if matching.overridden(text):
        for how in matching.FOLDS:
            readings[how].append(matching.fold(text, how, reorder=True))
    # The needles of this scan only, each built once (a spelling shared by two terms, or by both readings
    # of one, is folded once): dropped when the scan returns, so no name stays in the process's memory.
    needles: dict[tuple[str, str], matching.Needle | None] = {}
    taken: list[tuple[int, int]] = []
    findings = []
    for term in terms:
        mentions = []
        for how in matching.FOLDS:
            wanted = []
            for spelling in (term.text, *term.variants):
                if (spelling, how) not in needles:
                    needles[spelling, how] = matching.needle(spelling, how)
                found = needles[spelling, how]
                if found is not None and found not in wanted:
                    wanted.append(found)
            for start, end in (
                span
                for reading in readings[how]
                for found in wanted
                for span in matching.find(found, reading, text)
            ):
                if any(start < other_end and other_start < end for other_start, other_end in taken):
                    continue
                taken.append((start, end))
                mentions.append(
                    (
                        start,
                        Mention(
                            term=term,
                            section=_section_at(text, start),
                            before=text[max(0, start - CONTEXT) : start].split("\n")[-1],
                            match=text[start:end],
                            after=text[end : end + CONTEXT].split("\n")[0],
                        ),
                    )
                )
        if mentions:
            in_order = [mention for _start, mention in sorted(mentions, key=lambda pair: pair[0])]
            findings.append(Finding(term=term, mentions=in_order, accepted=bool(term.keys & accepted)))
    return findings


def sections(text: str) -> list[str]:
    """The draft's headings, in order: what review comments are anchored to."""
    return [heading.group(1) for heading in _HEADING.finditer(text)]

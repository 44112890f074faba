"""The attribution guard: find where a draft names, or points at, a member of its dialogue.

A summary records what was said, never who said it or who was there (the Chatham House Rule). Before a draft
goes to review and before it is sealed, it is scanned for the names, name parts, pseudonyms, e-mail
addresses and affiliations of everyone in the dialogue; each hit must be removed or explicitly accepted (a
facilitator may decide that an affiliation named in a public statement is fine, for instance).

Accepted terms are kept as blind indexes, so the database never stores the names the guard found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trackii.crypto import blind_index

MENTION_PURPOSE = "summary.mention"
# Name parts shorter than this ("Li", "Ana") match too many ordinary words to be worth a flag on their own;
# the full name is still checked.
MIN_NAME_PART = 4
CONTEXT = 50
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Term:
    text: str
    kind: str  # "name", "name part", "pseudonym", "e-mail", "affiliation"

    @property
    def key(self) -> str:
        return mention_key(self.text)


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
    return blind_index(" ".join(text.split()).casefold(), purpose=MENTION_PURPOSE)


def terms_for(people) -> list[Term]:
    """What to look for, from Person rows (decrypted by the model)."""
    found: dict[str, Term] = {}

    def add(text: str | None, kind: str) -> None:
        text = " ".join((text or "").split())
        if text and text.casefold() not in found:
            found[text.casefold()] = Term(text=text, kind=kind)

    for person in people:
        add(person.name, "name")
        add(person.pseudonym, "pseudonym")
        add(person.email, "e-mail")
        add(person.affiliation, "affiliation")
        for part in re.split(r"[\s\-]+", person.name or ""):
            if len(part) >= MIN_NAME_PART:
                add(part, "name part")
    # Longest first, so "Amira Haddad" is reported before "Haddad".
    return sorted(found.values(), key=lambda term: -len(term.text))


def _pattern(term: Term) -> re.Pattern:
    words = [re.escape(word) for word in term.text.split()]
    # Whole words only, and any run of white space between words (a name may wrap onto the next line).
    return re.compile(r"(?<![\w@.-])" + r"\s+".join(words) + r"(?![\w@-])", re.IGNORECASE)


def _section_at(text: str, position: int) -> str:
    section = ""
    for heading in _HEADING.finditer(text):
        if heading.start() > position:
            break
        section = heading.group(1)
    return section


def scan(text: str, terms: list[Term], *, accepted: set[str] = frozenset()) -> list[Finding]:
    """Every term found in `text`, with each occurrence in context; a span already reported for a longer term
    (the full name) is not reported again for a shorter one (the surname)."""
    taken: list[tuple[int, int]] = []
    findings = []
    for term in terms:
        mentions = []
        for match in _pattern(term).finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            taken.append((start, end))
            mentions.append(
                Mention(
                    term=term,
                    section=_section_at(text, start),
                    before=text[max(0, start - CONTEXT) : start].split("\n")[-1],
                    match=match.group(0),
                    after=text[end : end + CONTEXT].split("\n")[0],
                )
            )
        if mentions:
            findings.append(Finding(term=term, mentions=mentions, accepted=term.key in accepted))
    return findings


def sections(text: str) -> list[str]:
    """The draft's headings, in order: what review comments are anchored to."""
    return [heading.group(1) for heading in _HEADING.finditer(text)]

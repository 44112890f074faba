"""How the attribution guard reads a draft: every text, draft and name alike, is folded the same way before
they are compared, so that a name is caught however it is written.

The fold drops invisible format characters (zero-width spaces, bidi overrides, the soft hyphen), applies
NFKC (full-width letters, ligatures), case-folds, strips combining marks (diacritics, Arabic and Hebrew
vowel points) and writes every letter outside the unspaced scripts in Latin with `anyascii`, so "Корвин",
"Կորվին" and "Korvin" fold alike. Han, kana and Hangul stay as they are: their romanisation is ambiguous
and they are matched as substrings of their own script (Hangul as its letters, so a draft stored decomposed
folds alike). The draft is read twice: once transliterated, once with Cyrillic, Greek, Armenian and Cherokee
look-alikes first replaced by the Latin letter they imitate, because a Cyrillic "er" slipped into "Peter" for
the "P" transliterates to "r" but is read as "p". A draft holding a bidi override is read twice more, in
`reading_order`, because the override turns the letters it covers round on the page.

Each folded character remembers the original character it came from, so mentions are reported with the
words of the draft as written."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from trackii.scripts import HANGUL_FINALS, UNSPACED, fold_char, script_of

# Letters other scripts share with Latin by shape (after Unicode's confusables.txt, cut to the letters that
# pass for Latin in a name).
LOOK_ALIKES = str.maketrans(
    "АВЕЁКМНОРСТУХІЈЅҺԚԜаеёкмнорстухіјѕһԁԛԝ"  # Cyrillic
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορτυχγ"  # Greek
    "օսհոցզ"  # Armenian  # noqa: RUF001 (the look-alikes are the point)
    "ᎠᎡᎢᎥᎩᎪᎫᎬᎳᎷᎻᏀᏂᏃᏏᏒᏔᏕᏙᏚᏞᏟᏢᏦᏴ",  # Cherokee  # noqa: RUF001
    "ABEEKMHOPCTYXIJSHQWaeekmhopctyxijshdqwABEZHIKMNOPTYXaikvoptuxyouhngq"  # Cyrillic, Greek, Armenian
    "DRTiyAJEWMHGhZbRWSVSLCPKB",  # Cherokee
)
TRANSLITERATED, LOOK_ALIKE = "transliterated", "look-alike"
FOLDS = (TRANSLITERATED, LOOK_ALIKE)

# Arabic and Hebrew write "and", "the", "to", "in" joined to the next word (وأمير, להדס): a name in these
# scripts is caught behind them too.
_CLITICS = {
    "Arabic": ["و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "فال", "كال", "لل", "ول", "وب"],
    "Hebrew": [
        "ו",  # noqa: RUF001 (Hebrew, not a Latin letter)
        "ה",
        "ב",
        "ל",
        "מ",
        "ש",
        "כ",
        "וה",
        "וב",
        "ול",
        "ומ",
        "שה",
        "שב",
        "של",
    ],
}


@lru_cache(maxsize=4096)
def _fold_char(char: str, how: str) -> str:
    if how == LOOK_ALIKE:
        # Cherokee small letters case-fold to the capitals, which are the look-alikes.
        char = (char.casefold() if script_of(char) == "Cherokee" else char).translate(LOOK_ALIKES)
    return "".join(
        c if c.isascii() or c.isspace() or script_of(c) in UNSPACED else anyascii(c).lower()
        for c in fold_char(char)
    )


@dataclass(frozen=True)
class Folded:
    """A text folded for matching, and for each folded character the index of the original it came from."""

    text: str
    starts: list[int]
    ends: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span for the folded span [start, end) (read in another order under a bidi
        override, so its first character need not be the leftmost)."""
        return min(self.starts[start:end]), max(self.ends[start:end])


_OVERRIDES = {"\u202d": "L", "\u202e": "R"}  # left-to-right and right-to-left override
_OVERRIDE_ENDS = frozenset("\u202c\u2069\n\r\u2029")  # pop, pop isolate, end of paragraph
_RIGHT_TO_LEFT = frozenset({"R", "AL"})


def reading_order(text: str) -> list[int]:
    """The indices of `text` in the order a reader reads its letters. Only a bidi override changes it: a
    right-to-left override shows "\u202enivroK" as "Korvin" and a left-to-right one lays Arabic out backwards,
    so inside an override each run of letters that reads against the forced direction is turned round.
    Everywhere else the stored order is the reading order (the bidi algorithm only lays it out)."""
    order = list(range(len(text)))
    index = 0
    while index < len(text):
        forced = _OVERRIDES.get(text[index])
        if forced is None:
            index += 1
            continue
        end = index + 1
        while end < len(text) and text[end] not in _OVERRIDE_ENDS:
            end += 1
        run = order[index + 1 : end]
        if forced == "R":  # laid out right to left: left-to-right letters and numbers are read backwards
            run = run[::-1]
        # Right-to-left letters (and the marks on them) read right to left whatever the override: under a
        # right-to-left override they keep their stored order (turned back), under a left-to-right one they
        # are turned round.
        out, stretch = [], []
        for i in run:
            if unicodedata.bidirectional(text[i]) in _RIGHT_TO_LEFT or (
                stretch and unicodedata.category(text[i]).startswith("M")
            ):
                stretch.append(i)
                continue
            out.extend(stretch[::-1])
            stretch = []
            out.append(i)
        out.extend(stretch[::-1])
        order[index + 1 : end] = out
        index = end
    return order


def overridden(text: str) -> bool:
    """Whether the text holds a bidi override, and so needs reading in `reading_order` as well."""
    return any(char in _OVERRIDES for char in text)


def fold(text: str, how: str = TRANSLITERATED, *, reorder: bool = False) -> Folded:
    """A character that folds to nothing (Arabic alef, a zero-width space) is counted with the next one that
    does not, so a mention starting with it is reported from it. With `reorder`, characters are read in
    `reading_order` (the stored order is read too, by the caller: an override nested in another can restore
    it)."""
    chars, starts, ends = [], [], []
    pending = None
    for index in reading_order(text) if reorder else range(len(text)):
        char = text[index]
        folded = _fold_char(char, how)
        if not folded:
            pending = index if pending is None and not reorder else pending
            continue
        for position, piece in enumerate(folded):
            chars.append(piece)
            starts.append(pending if position == 0 and pending is not None else index)
            ends.append(index + 1)
        pending = None
    return Folded(text="".join(chars), starts=starts, ends=ends)


def fold_key(text: str) -> str:
    """The one spelling a name folds to, white space collapsed: what an accepted mention is keyed on."""
    return " ".join(fold(text).text.split())


def unspaced(text: str) -> bool:
    """Whether the text is in a script written without spaces (Chinese, Japanese, Korean)."""
    return any(script_of(char) in UNSPACED for char in text)


def letter_count(text: str) -> int:
    """Letters once invisible characters and diacritics are gone: "Ани" is three, "أمير" four (its
    transliteration drops the vowels Arabic does not write), a Han character one."""
    stripped = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    return sum(1 for char in stripped if unicodedata.category(char).startswith("L"))


@lru_cache(maxsize=4096)
def needle(term: str, how: str = TRANSLITERATED) -> str:
    """The longest word of `term` folded: every text `pattern(term, how)` matches holds it as it stands."""
    return max(fold(term, how).text.split(), key=len, default="")


@lru_cache(maxsize=4096)
def pattern(term: str, how: str = TRANSLITERATED) -> re.Pattern | None:
    """The regular expression that finds `term` in a text folded the same way: whole words, any run of white
    space between them; a name in an unspaced script anywhere; an Arabic or Hebrew name behind a clitic."""
    words = [re.escape(word) for word in fold(term, how).text.split()]
    if not words:
        return None
    body = r"\s+".join(words)
    if unspaced(term):
        # Hangul folds to its letters: "김민수" must not be found in "김민숙", whose last syllable goes on.
        return re.compile(body + f"(?![{HANGUL_FINALS}])")
    clitics = _CLITICS.get(script_of(next((c for c in term if script_of(c)), " ")) or "", [])
    prefix = ""
    if clitics:
        folded = sorted({fold(clitic, how).text for clitic in clitics}, key=len, reverse=True)
        prefix = "(?:" + "|".join(re.escape(f) for f in folded if f) + ")?"
    return re.compile(r"(?<![\w@.-])" + prefix + "(" + body + r")(?![\w@-])")

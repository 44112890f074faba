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
words of the draft as written. Names are looked for with plain substring search and their word boundaries
checked by hand, not with compiled regular expressions: `re` keeps the last few hundred patterns it compiled
in a process-wide cache, which would hold decrypted names in every web and worker process. Nothing keyed on
a name is cached here beyond one scan; `_fold_char` caches single characters only."""

from __future__ import annotations

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
# Scripts whose languages put case endings on names in ordinary writing: Russian and Ukrainian ("Корвином",
# "Корвину"), Armenian ("Պետրոսյանը", "Պետրոսյանի"), Georgian ("ბერიძემ") and Greek ("του
# Παππά", "Κώστα"). A name written in one of them is caught with an ending of up to MAX_ENDING letters after
# it, or with its last vowel (or Greek final sigma) replaced by one ("Анну" for "Анна", "ბერიძის" for
# "ბერიძე", "Κώστα" for "Κώστας"). Latin stays whole-word, so "Korvinsky" is not "Korvin". Arabic and
# Hebrew are left out: what they attach after a name is a possessive, rare on a name, and before it is the
# clitics below.
INFLECTING = frozenset({"Cyrillic", "Armenian", "Georgian", "Greek"})
MAX_ENDING = 4
# Folded letters a term's last word needs before an ending is allowed on it ("Ани" + "на" is not Ани).
MIN_INFLECTED = 4
# ... and before its last letter may give way to an ending, if that letter is one of these (folded).
MIN_STEMMED, STEM_VOWELS = 5, frozenset("aeiouys")
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
    does not, so a mention starting with it is reported from it. Any run of white space (a line break
    included) folds to one space, so a name wrapped onto the next line is still one run of text. With
    `reorder`, characters are read in `reading_order` (the caller reads the stored order too: an override
    nested in another can restore it)."""
    chars, starts, ends = [], [], []
    pending = None
    for index in reading_order(text) if reorder else range(len(text)):
        char = text[index]
        folded = _fold_char(char, how)
        if not folded:
            pending = index if pending is None and not reorder else pending
            continue
        for position, piece in enumerate(folded):
            if piece.isspace():
                if chars and chars[-1] == " ":
                    ends[-1] = max(ends[-1], index + 1)
                    continue
                piece = " "
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


@dataclass(frozen=True)
class Needle:
    """What `find` looks for: a term folded, its words joined by one space (as `fold` leaves a draft)."""

    text: str
    unspaced: bool  # Chinese, Japanese, Korean: found anywhere, even inside a longer run
    clitics: tuple[str, ...]  # folded Arabic or Hebrew clitics it may stand behind, longest first
    # Long enough to carry a case ending ("Корвином"): a short word plus an ending is too often another word.
    inflects: bool
    # What is searched for: the text, or the text without a last vowel an ending may replace.
    stem: str


def needle(term: str, how: str = TRANSLITERATED) -> Needle | None:
    """The needle for `term` in a text folded the same way (`how`), or None for a term that folds to
    nothing. Built for one scan and dropped with it (see `scan`): nothing keyed on a name outlives it."""
    words = fold(term, how).text.split()
    if not words:
        return None
    text = " ".join(words)
    clitics = _CLITICS.get(script_of(next((c for c in term if script_of(c)), " ")) or "", [])
    folded = sorted({fold(clitic, how).text for clitic in clitics} - {""}, key=len, reverse=True)
    letters = sum(char.isalpha() for char in words[-1])
    is_unspaced = unspaced(term)
    stemmed = not is_unspaced and letters >= MIN_STEMMED and text[-1] in STEM_VOWELS
    return Needle(
        text=text,
        unspaced=is_unspaced,
        clitics=tuple(folded),
        inflects=letters >= MIN_INFLECTED,
        stem=text[:-1] if stemmed else text,
    )


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _free_before(text: str, index: int) -> bool:
    return index == 0 or not (_word_char(text[index - 1]) or text[index - 1] in "@.-")


def _ending(original: str, start: int, end: int, ending: tuple[int, int]) -> bool:
    """Whether the draft's characters of a match [start, end) and the letters after it, `ending`, read as
    a name with a case ending: all in an inflecting script, and the ending short."""
    tail = original[ending[0] : ending[1]]
    letters = [char for char in tail if script_of(char)]
    if len(letters) > MAX_ENDING or any(
        not script_of(char) and unicodedata.category(char)[0] not in "MC" for char in tail
    ):
        return False
    written = {script_of(char) for char in original[start : ending[1]]} - {None}
    return bool(written) and written <= INFLECTING


def find(found: Needle, reading: Folded, original: str):
    """The original spans where the needle occurs in `reading` (the fold of `original`): whole words, or
    behind a clitic, or, in an inflecting script, with a short case ending (reported with the ending, the
    draft's word as written); a needle in an unspaced script anywhere."""
    text = reading.text
    index = text.find(found.stem)
    while index != -1:
        whole = text.startswith(found.text, index)
        end = index + len(found.text if whole else found.stem)
        span = None
        if found.unspaced:
            # Hangul folds to its letters: "김민수" is not in "김민숙", whose last syllable goes on.
            if not (end < len(text) and HANGUL_FINALS[0] <= text[end] <= HANGUL_FINALS[1]):
                span = reading.span(index, end)
        elif _free_before(text, index) or any(
            text.startswith(clitic, index - len(clitic)) and _free_before(text, index - len(clitic))
            for clitic in found.clitics
            if index >= len(clitic)
        ):
            word_end = end
            while word_end < len(text) and _word_char(text[word_end]):
                word_end += 1
            after_ok = word_end == len(text) or text[word_end] not in "@-"
            if whole and word_end == end and after_ok:
                span = reading.span(index, end)
            elif found.inflects and after_ok:
                start, stop = reading.span(index, end)
                ending = (stop, reading.span(end, word_end)[1] if word_end > end else stop)
                if _ending(original, start, stop, ending):
                    span = (start, ending[1])
        if span is not None:
            yield span
            index = text.find(found.stem, end)
        else:
            index = text.find(found.stem, index + 1)

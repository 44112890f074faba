"""Which writing system a text is in, and the names and codenames that hide something in theirs.

A name may be on file in several scripts ("Корвин Астели", "Korvin Asteli"). Unicode names each letter with
its script first ("CYRILLIC SMALL LETTER O"), which is all the detection the guard and the forms need; the
full Scripts.txt would tell Latin from Common more finely, at the cost of a table we would have to keep.

`clean_name` is the rule for a person's name and its other forms: invisible format characters (bidi
overrides, zero-width spaces, the soft hyphen) are refused rather than dropped, so that what is stored is what
the writer saw, and so is a word that mixes Latin letters with Cyrillic or Greek look-alikes ("Korvin" typed
with a Cyrillic "o"): the attribution guard still catches both, but a name on file should not be a
disguise."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from trackii.inputs import BIDI_CONTROLS

# The first word of a letter's Unicode name that is not its script.
_NAME_TO_SCRIPT = {"CJK": "Han", "IDEOGRAPHIC": "Han", "HANGUL": "Hangul", "HIRAGANA": "Hiragana"}
# Scripts written without spaces between words, whose names are matched inside longer runs of text.
UNSPACED = frozenset({"Han", "Hiragana", "Katakana", "Hangul", "Thai", "Lao", "Khmer", "Myanmar"})
# Scripts that Unicode's mixed-script rules allow together in one word (UTS #39, "highly restrictive").
_ALLOWED_TOGETHER = (
    frozenset({"Latin", "Han", "Hiragana", "Katakana"}),
    frozenset({"Latin", "Han", "Hangul"}),
    frozenset({"Latin", "Han", "Bopomofo"}),
)
# How the scripts a name is most likely written in are called to a reader; any other keeps its Unicode name.
SCRIPT_LABELS = {
    "Latin": pgettext_lazy("writing system", "Latin"),
    "Cyrillic": pgettext_lazy("writing system", "Cyrillic"),
    "Greek": pgettext_lazy("writing system", "Greek"),
    "Armenian": pgettext_lazy("writing system", "Armenian"),
    "Georgian": pgettext_lazy("writing system", "Georgian"),
    "Arabic": pgettext_lazy("writing system", "Arabic"),
    "Hebrew": pgettext_lazy("writing system", "Hebrew"),
    "Han": pgettext_lazy("writing system", "Chinese characters"),
    "Hangul": pgettext_lazy("writing system", "Hangul"),
    "Hiragana": pgettext_lazy("writing system", "Hiragana"),
    "Katakana": pgettext_lazy("writing system", "Katakana"),
    "Devanagari": pgettext_lazy("writing system", "Devanagari"),
}
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# Letters Unicode marks "default ignorable" although they are not format characters: the Hangul fillers. A
# shaper (HarfBuzz, so the sealed PDF; browsers too) draws them as nothing, so "Kor\u3164vin" reads "Korvin".
IGNORABLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def script_of(char: str) -> str | None:
    """The script of a letter ("Latin", "Cyrillic", "Han"), or None for anything that is not a letter."""
    if not unicodedata.category(char).startswith("L"):
        return None
    name = unicodedata.name(char, "")
    if not name:
        return None
    words = name.split()
    if words[0] in {"FULLWIDTH", "HALFWIDTH"} and len(words) > 1:
        words = words[1:]
    if words[0] == "MODIFIER":
        return None
    first = words[0]
    return _NAME_TO_SCRIPT.get(first, first.capitalize())


def script_label(script: str) -> str:
    """The script's name for the reader, in their language where we have it."""
    return str(SCRIPT_LABELS.get(script, script))


def dominant_script(text: str) -> str:
    """The script most of the letters are in ("Cyrillic"), or "" for a text without letters."""
    counts: dict[str, int] = {}
    for char in unicodedata.normalize("NFKC", text):
        script = script_of(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.get) if counts else ""


def mixed_script_word(text: str) -> tuple[str, list[str]] | None:
    """The first word whose letters come from scripts Unicode does not allow together ("Korvin" with a
    Cyrillic "o": Latin and Cyrillic), with those scripts in order of appearance; None when every word is
    in one script."""
    for word in text.split():
        scripts: list[str] = []
        for char in word:
            script = script_of(char)
            if script and script not in scripts:
                scripts.append(script)
        if len(scripts) > 1 and not any(set(scripts) <= allowed for allowed in _ALLOWED_TOGETHER):
            return word, scripts
    return None


_HANGUL_SYLLABLES = ("\uac00", "\ud7a3")
# The final consonants of a decomposed Hangul syllable: a name ending in a vowel must not match a longer one.
HANGUL_FINALS = ("\u11a8", "\u11ff")


def fold_char(char: str) -> str:
    """One character as names are compared: nothing for an invisible format character (Unicode category Cf:
    zero-width space, bidi override, soft hyphen) or a Hangul filler, else NFKC (full-width letters,
    ligatures), case-folded, without combining marks (diacritics, Arabic and Hebrew vowel points), a Hangul
    syllable as its letters."""
    if unicodedata.category(char) == "Cf" or char in IGNORABLE_LETTERS:
        return ""
    out = []
    for piece in unicodedata.normalize("NFKC", char).casefold():
        decomposed = unicodedata.normalize("NFD", piece)
        if any(unicodedata.category(c).startswith("M") for c in decomposed):
            piece = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
        elif _HANGUL_SYLLABLES[0] <= piece <= _HANGUL_SYLLABLES[1]:
            # A Hangul syllable is read as its letters (jamo): a text stored decomposed (NFD) shows the same
            # syllables, and must fold the same.
            piece = decomposed
        out.append(piece)
    return "".join(out)


def name_key(text: str) -> str:
    """What two forms of a name must differ in to be two forms: "Kórvin  ASTELI" and "Korvin Asteli" are one,
    "Корвин Астели" another (the same name in another script is what a name form is for)."""
    return " ".join("".join(fold_char(char) for char in text).split())


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '').lower()}".strip()


ZWNJ = "\u200c"


def _joins_arabic_letters(text: str, index: int) -> bool:
    """Whether the character at `index` sits between two Arabic-script letters: where Persian needs the
    zero-width non-joiner ("می‌خواهم", "نرگس‌زاده"), which only stops the letters joining. The guard drops it
    all the same, so it can hide nothing."""
    before, after = text[index - 1 : index], text[index + 1 : index + 2]
    return bool(before and after) and script_of(before) == script_of(after) == "Arabic"


def clean_name(value: str) -> str:
    """A person's name (or another form of it) as it will be stored: NFC, white space collapsed to single
    spaces. Refuses, saying which character and why, invisible format characters (except the zero-width
    non-joiner between two Arabic-script letters, which Persian spells with) and words mixing scripts."""
    text = unicodedata.normalize("NFC", value or "")
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if char == ZWNJ and _joins_arabic_letters(text, index):
            continue
        if char in BIDI_CONTROLS:
            raise ValidationError(
                _(
                    "Remove the right-to-left control character (%(char)s): it reorders how the name reads "
                    "and can hide part of it."
                )
                % {"char": _describe(char)},
                code="bidi_control",
            )
        if char == "\ufffd":
            raise ValidationError(
                _(
                    "The name arrived with a character that was lost on the way (%(char)s). Type the name "
                    "again."
                )
                % {"char": _describe(char)},
                code="lost_character",
            )
        if char in ZERO_WIDTH:
            raise ValidationError(
                _(
                    "Remove the invisible zero-width character (%(char)s): it can hide the name from the "
                    "check that keeps names out of summaries."
                )
                % {"char": _describe(char)},
                code="zero_width",
            )
        if (category in {"Cf", "Cc", "Cs", "Co", "Cn"} and char not in " \t\n") or char in IGNORABLE_LETTERS:
            raise ValidationError(
                _("Remove the invisible character (%(char)s): a name holds only what can be seen.")
                % {"char": _describe(char)},
                code="hidden_character",
            )
    text = " ".join(text.split())
    mixed = mixed_script_word(text)
    if mixed:
        word, scripts = mixed
        raise ValidationError(
            _(
                "“%(word)s” mixes %(first)s and %(second)s letters in one word, which makes it look like "
                "another name. Type each word in one script; add the name in another script as another form "
                "of it."
            )
            % {"word": word, "first": script_label(scripts[0]), "second": script_label(scripts[1])},
            code="mixed_scripts",
        )
    return text

"""Which characters Trackii's PDF fonts draw, and what happens when the CJK fonts are not the pinned ones."""

import logging

import pytest
from django.core.exceptions import ValidationError

from trackii.sealing import pdf_fonts
from trackii.sealing.bidi import direct_blocks
from trackii.sealing.pdf_fonts import (
    CJK_FACES,
    cjk_font_face_css,
    cjk_fonts_problem,
    refuse_unsupported_characters,
    unsupported_characters,
    vendored_font_path,
)

# Urdu heh goal and do-chashmee, fullwidth A and B written as escapes (ruff flags them as confusable).
EVERY_SCRIPT = (
    "Zoë Ó Briain “ok” — ½ € № ‰ · Ελένη · Олена · Անահիտ · ნინო · שרה · ليلى · پاکستان کے لوگ · گفتگو"
    " ژ ۓ ڈ ڑ ں \u06c1 \u06be ۰۱۲ · प्रिया · 王小明 · 山田 ひらがな カタカナ · 김민준 \uff21\uff22"
)


def _clear():
    for cached in (pdf_fonts.cjk_fonts_problem, pdf_fonts._coverage, pdf_fonts.vendored_font_files):
        cached.cache_clear()


@pytest.fixture
def cjk_fonts_in(monkeypatch):
    def use(folder):
        monkeypatch.setattr(pdf_fonts, "CJK_FONTS_DIR", folder)
        _clear()

    yield use
    monkeypatch.undo()
    _clear()


def test_every_supported_script_has_a_font():
    assert cjk_fonts_problem() is None
    assert unsupported_characters(EVERY_SCRIPT) == []


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Egypt \U00013000", ["\U00013000"]),
        ("private \ue000 and \U000f0000", ["\ue000", "\U000f0000"]),
        ("a snowman ☃ ☃ twice, an emoji 😀", ["☃", "😀"]),  # each once, in order
        ("hidden &#x13000; and &#128512;", ["\U00013000", "😀"]),  # Markdown passes character references on
        ("bell \x07", ["\x07"]),
    ],
)
def test_characters_without_a_font_are_named(text, missing):
    assert unsupported_characters(text) == missing


def test_whitespace_and_format_characters_are_not_drawn_so_never_refused():
    invisible = "\t\n\r\u00a0\u2003 \u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    invisible += "\u2066\u2069\ufeff\u00ad"
    assert unsupported_characters(f"ليلى{invisible}Олена") == []


def test_the_refusal_names_each_character_with_its_code_point():
    with pytest.raises(ValidationError) as refused:
        refuse_unsupported_characters("\U00013000 ☃")
    assert refused.value.messages == [
        "These characters have no font in Trackii's PDFs: \U00013000 (U+13000), ☃ (U+2603). "
        "Remove or replace them before sealing."
    ]
    refuse_unsupported_characters(EVERY_SCRIPT)  # nothing to refuse


def test_a_long_list_is_cut_short():
    text = "".join(chr(0xE000 + n) for n in range(30))
    with pytest.raises(ValidationError) as refused:
        refuse_unsupported_characters(text)
    assert refused.value.messages[0].count("(U+E0") == 20 and "(U+E013) …" in refused.value.messages[0]


class _Kept(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def test_missing_cjk_fonts_are_reported_and_cjk_text_refused(cjk_fonts_in, tmp_path, monkeypatch):
    # Read from the module's own logger: whatever configured logging earlier in this process (a Celery
    # worker, a command, logging.disable) must not hide the warning from this test.
    kept = _Kept()
    logger = pdf_fonts.logger
    monkeypatch.setattr(logger, "handlers", [*logger.handlers, kept])
    monkeypatch.setattr(logger, "disabled", False)
    was_disabled, was_level = logging.root.manager.disable, logger.level
    logging.disable(logging.NOTSET)
    logger.setLevel(logging.WARNING)
    installed = pdf_fonts.CJK_FONTS_DIR
    try:
        cjk_fonts_in(tmp_path)
        assert "NotoSerifCJK-Regular.ttc is missing" in cjk_fonts_problem()
    finally:
        logger.setLevel(was_level)
        logging.disable(was_disabled)
    assert any("cannot be sealed" in line for line in kept.lines)
    assert cjk_font_face_css() == ""
    assert vendored_font_path((installed / CJK_FACES[0][1]).as_uri()) is None  # the renderer may not read it
    assert unsupported_characters("王小明 김민준 ひ") == list("王小明김민준ひ")
    with pytest.raises(ValidationError) as refused:
        refuse_unsupported_characters("王")
    assert "not installed on this server" in refused.value.messages[0]
    assert unsupported_characters("Олена ليلى प्रिया") == []  # the vendored fonts are unaffected


def test_a_cjk_font_that_is_not_the_pinned_file_is_refused(cjk_fonts_in, tmp_path):
    installed = pdf_fonts.CJK_FONTS_DIR
    for _, file, *_ in CJK_FACES:
        (tmp_path / file).symlink_to(installed / file)
    other = tmp_path / CJK_FACES[-1][1]
    other.unlink()
    other.write_bytes(b"not the pinned font")
    cjk_fonts_in(tmp_path)

    assert "not the pinned" in cjk_fonts_problem() and CJK_FACES[-1][1] in cjk_fonts_problem()
    assert unsupported_characters("王") == ["王"]


def test_the_pinned_cjk_fonts_are_declared_and_may_be_read():
    css = cjk_font_face_css()
    assert css.count("@font-face") == len(CJK_FACES) == 4
    for family, file, *_ in CJK_FACES:
        assert f'"{family}"' in css
        assert vendored_font_path((pdf_fonts.CJK_FONTS_DIR / file).as_uri()) is not None


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>ليلى <strong>تحدثت</strong> مع</p>", '<p dir="rtl">ليلى <strong>تحدثت</strong> مع</p>'),
        ("<p>12 (<em>שרה</em>)</p>", '<p dir="rtl">12 (<em>שרה</em>)</p>'),  # numbers are not strong
        ("<p>Zoë and שרה</p>", "<p>Zoë and שרה</p>"),
        ("<p>&#x5d0; hidden</p>", '<p dir="rtl">&#x5d0; hidden</p>'),
        ("<p>42</p><h2>עברית</h2>", '<p>42</p><h2 dir="rtl">עברית</h2>'),
        # A list item's own text decides, not its nested list's.
        ("<li>English<ul><li>عربي</li></ul></li>", '<li>English<ul><li dir="rtl">عربي</li></ul></li>'),
        ("<td>North</td><td>اقتراح</td>", '<td>North</td><td dir="rtl">اقتراح</td>'),
    ],
)
def test_blocks_that_start_right_to_left_are_marked_rtl(markup, expected):
    assert direct_blocks(markup) == expected

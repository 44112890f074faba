import io
import re

import pypdf
import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils.functional import empty

from trackii.sealing.pdf import (
    INTERNAL_BASE_URL,
    RefusedURLError,
    inline_stylesheet,
    make_url_fetcher,
    render_pdf,
)
from trackii.sealing.pdf_fonts import CJK_FACES, FACES, FONTS_DIR, font_face_css


def _fonts(reader):
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                yield descendant.get_object()


def test_render_pdf_multi_page_html_gives_pages_with_text(rendered):
    reader = pypdf.PdfReader(io.BytesIO(rendered))
    assert len(reader.pages) >= 3
    assert "non-attributed summary" in reader.pages[0].extract_text()
    assert "Options discussed" in "".join(page.extract_text() for page in reader.pages)


def test_render_pdf_embeds_every_font(rendered):
    fonts = list(_fonts(pypdf.PdfReader(io.BytesIO(rendered))))
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]


@pytest.mark.parametrize(
    "html",
    [
        '<img src="file:///etc/passwd">',
        '<img src="http://example.org/x.png">',
        '<link rel="stylesheet" href="https://example.org/style.css">',
        '<style>body { background: url("//example.org/track.png") }</style><p>x</p>',
        "<style>@import url(ftp://example.org/a.css);</style><p>x</p>",
    ],
)
def test_render_pdf_refuses_files_and_network(html):
    with pytest.raises(RefusedURLError, match=r"example\.org|/etc/passwd"):
        render_pdf(html)


def test_render_pdf_refusal_names_the_url():
    with pytest.raises(RefusedURLError) as caught:
        render_pdf('<img src="file:///etc/passwd">')
    assert caught.value.url == "file:///etc/passwd"
    assert "file:///etc/passwd" in str(caught.value)


def test_url_fetcher_serves_a_static_file():
    response = make_url_fetcher().fetch(INTERNAL_BASE_URL + "static/img/favicon.svg")
    with open(finders.find("img/favicon.svg"), "rb") as handle:
        assert response.read() == handle.read()
    assert response.content_type == "image/svg+xml"


def test_render_pdf_uses_a_static_file():
    with_image = render_pdf('<p>x</p><img src="/static/img/favicon.svg" style="width:4cm">')
    without = render_pdf("<p>x</p>")
    assert len(with_image) > len(without)


@pytest.mark.parametrize(
    "url",
    [
        INTERNAL_BASE_URL + "static/%2e%2e/%2e%2e/trackii/settings.py",
        INTERNAL_BASE_URL + "static/img/missing.png",
        INTERNAL_BASE_URL + "media/anything.pdf",
    ],
)
def test_url_fetcher_refuses_paths_outside_static_files(url):
    fetcher = make_url_fetcher()
    with pytest.raises(fetcher.Refusal):
        fetcher.fetch(url)


def test_render_pdf_allows_data_uri():
    svg = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/%3E"
    assert render_pdf(f'<img src="{svg}">').startswith(b"%PDF-")


def test_fetcher_serves_a_hashed_name_collected_for_production(settings, tmp_path):
    # In production {% static %} names the hashed copy in STATIC_ROOT; a sealed document must still render.
    settings.STATIC_ROOT = str(tmp_path)
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "print.1a2b3c4d.css").write_text("body { color: #123456; }")
    staticfiles_storage._wrapped = empty  # the storage reads STATIC_ROOT when first used
    html = '<link rel="stylesheet" href="/static/css/print.1a2b3c4d.css"><p>Hashed</p>'
    try:
        assert render_pdf(html).startswith(b"%PDF-")
    finally:
        staticfiles_storage._wrapped = empty


def test_url_fetcher_serves_a_vendored_font():
    path = FONTS_DIR / "NotoSerif-Regular.ttf"
    response = make_url_fetcher().fetch(path.as_uri())
    assert response.read() == path.read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (FONTS_DIR / "OFL.txt").as_uri(),  # inside the folder, but not a font the stylesheets declare
        (FONTS_DIR / "README.md").as_uri(),
        FONTS_DIR.as_uri(),
        (FONTS_DIR / ".." / "pdf.py").as_uri(),
        FONTS_DIR.as_uri() + "/%2e%2e/pdf.py",
        "file://otherhost" + (FONTS_DIR / "NotoSerif-Regular.ttf").as_posix(),
        "http://example.org/NotoSerif-Regular.ttf",
        INTERNAL_BASE_URL + "static/../trackii/sealing/fonts/NotoSerif-Regular.ttf",
    ],
)
def test_url_fetcher_refuses_every_other_file_and_the_network(url):
    fetcher = make_url_fetcher()
    with pytest.raises(fetcher.Refusal):
        fetcher.fetch(url)


def test_url_fetcher_refuses_a_symbolic_link_out_of_the_fonts_folder(tmp_path):
    link = tmp_path / "NotoSerif-Regular.ttf"
    link.symlink_to("/etc/passwd")
    fetcher = make_url_fetcher()
    with pytest.raises(fetcher.Refusal):
        fetcher.fetch(link.as_uri())


def test_every_vendored_font_is_declared_and_licensed():
    files = {path.name for path in FONTS_DIR.iterdir()}
    assert files == {file for _, file, *_ in FACES} | {"OFL.txt", "README.md"}
    assert "SIL OPEN FONT LICENSE" in (FONTS_DIR / "OFL.txt").read_text()
    readme = (FONTS_DIR / "README.md").read_text()
    assert all(f"| {file} |" in readme for _, file, *_ in FACES)
    css = font_face_css()
    assert css.count("@font-face") == len(FACES)
    assert all((FONTS_DIR / file).as_uri() in css for _, file, *_ in FACES)


def test_pdf_stylesheets_name_no_font_but_the_vendored_families():
    declared = {family for family, *_ in FACES + CJK_FACES}
    for name in ("pdf/summary.css", "pdf/disclosure.css", "pdf/charts.css"):
        css = inline_stylesheet(name)
        assert "@font-face" not in css and "url(" not in css, name
        for declaration in re.findall(r"font(?:-family)?:\s*([^;}]+)", css):
            families = re.findall(r'"([^"]+)"', declaration)
            assert families and set(families) <= declared, (name, declaration)
            assert not re.search(r"\b(serif|sans-serif|monospace)\s*$", declaration), (name, declaration)

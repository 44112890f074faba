"""HTML → PDF with WeasyPrint, reading nothing but Trackii's own static files and vendored fonts.

A sealed summary is confidential: rendering it must not tell any host that it is being rendered (no fonts or
images from the network) and must not be able to pull local files into a document (``file:///etc/passwd``
in a template or in user-supplied HTML). The only files it reads are Trackii's static files and the vendored
font files in trackii/sealing/fonts/ (pdf_fonts.py). See docs/decisions/0002-sealing.md and 0008-pdf-fonts.md.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from trackii.sealing.pdf_fonts import cjk_font_face_css, has_cjk, vendored_font_path

# Relative URLs (``{% static %}`` gives "/static/...") need a base to resolve against. The .invalid top-level
# domain can never resolve (RFC 2606), and this origin is only ever matched, never fetched.
INTERNAL_BASE_URL = "https://trackii.invalid/"


class RefusedURLError(Exception):
    """A PDF template asked for a resource that Trackii does not serve to the renderer."""

    def __init__(self, url: str, reason: str):
        self.url = url
        self.reason = reason
        super().__init__(f"Refused to fetch {url!r} while rendering a PDF: {reason}")


def _static_file(url: str, *, base_url: str) -> tuple[bytes, str] | None:
    """The content and MIME type of the static file ``url`` names, or None if it names none."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    static_prefix = urljoin(base_url, settings.STATIC_URL)
    parts = urlsplit(url)
    bare = parts._replace(query="", fragment="").geturl()
    if not bare.startswith(static_prefix):
        return None
    relative = unquote(bare[len(static_prefix) :])
    # finders refuse "..", but say so here too: a traversal attempt is a refusal, not a missing file.
    if not relative or relative.startswith("/") or ".." in PurePosixPath(relative).parts or "\\" in relative:
        raise RefusedURLError(url, "not a plain path inside the static files")
    path = finders.find(relative) or _collected(relative)
    if not path:
        raise RefusedURLError(url, "no such static file")
    content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
    with open(path, "rb") as handle:
        return handle.read(), content_type


def _collected(relative: str) -> str | None:
    """A file collected into STATIC_ROOT: in production `{% static %}` names the hashed copy
    ("css/x.1a2b3c.css"), which exists only there, not in the source folders the finders search."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    try:
        return staticfiles_storage.path(relative) if staticfiles_storage.exists(relative) else None
    except (NotImplementedError, ValueError):  # a storage without local paths, or a name it refuses
        return None


def make_url_fetcher(*, base_url: str = INTERNAL_BASE_URL):
    """A WeasyPrint URL fetcher that serves data: URIs, Trackii's static files and the vendored PDF fonts
    (``file:`` URLs of exactly those files), and refuses the rest."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class _Refusal(FatalURLFetchingError):
        # WeasyPrint turns ordinary exceptions from a fetcher into a warning and renders without the
        # resource; a BaseException stops the rendering, and render_pdf turns it back into RefusedURLError.
        def __init__(self, error: RefusedURLError):
            self.error = error
            super().__init__(str(error))

    class TrackiiURLFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("data",), fail_on_errors=True)

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                # Handled in memory by urllib's DataHandler; allowed_protocols keeps every other handler out.
                return super().fetch(url, headers)
            if scheme == "file":
                font = vendored_font_path(url)
                if font is None:
                    raise _Refusal(
                        RefusedURLError(url, "the only local files allowed are Trackii's PDF fonts")
                    )
                return URLFetcherResponse(url, font.read_bytes(), headers={"Content-Type": "font/ttf"})
            try:
                found = _static_file(url, base_url=base_url) if scheme in {"http", "https"} else None
            except RefusedURLError as error:
                raise _Refusal(error) from None
            if found is None:
                raise _Refusal(RefusedURLError(url, "only data: URIs and Trackii's static files are allowed"))
            content, content_type = found
            return URLFetcherResponse(url, content, headers={"Content-Type": content_type})

    TrackiiURLFetcher.Refusal = _Refusal
    return TrackiiURLFetcher()


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render ``html`` to PDF bytes. Raises RefusedURLError (naming the URL) for any resource it may not load.

    Fonts: PDF templates include sealing/pdf/fonts.css, whose @font-face rules name the vendored files
    (pdf_fonts.py); they are embedded, subset, in the PDF. A document holding Chinese, Japanese or Korean text
    also gets the rules of the installed CJK fonts (pdf_fonts.cjk_font_face_css).
    """
    from weasyprint import CSS, HTML  # slow import (Pango, fonts): only in processes that render
    from weasyprint.text.fonts import FontConfiguration

    base = base_url or INTERNAL_BASE_URL
    fetcher = make_url_fetcher(base_url=base)
    font_config = FontConfiguration()
    try:
        cjk = cjk_font_face_css() if has_cjk(html) else ""
        sheets = [CSS(string=cjk, font_config=font_config, url_fetcher=fetcher)] if cjk else []
        document = HTML(string=html, base_url=base, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=sheets, font_config=font_config)
    except fetcher.Refusal as refusal:
        raise refusal.error from None


def inline_stylesheet(name: str) -> str:
    """A static stylesheet's text, for a <style> element in a PDF template. Inlined rather than linked with
    {% static %}, so rendering needs no fetch at all."""
    from django.contrib.staticfiles import finders

    path = finders.find(name)
    if not path:
        raise FileNotFoundError(f"The PDF stylesheet {name!r} is missing from the static files.")
    with open(path, encoding="utf-8") as handle:
        return handle.read()

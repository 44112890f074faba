from django import template
from django.utils.safestring import mark_safe

from trackii.sealing.pdf_fonts import font_face_css

register = template.Library()


@register.simple_tag
def pdf_font_faces():
    """The @font-face rules of the vendored PDF fonts (trackii/sealing/pdf_fonts.py)."""
    return mark_safe(font_face_css())  # noqa: S308 - built from our own constant table, no user input

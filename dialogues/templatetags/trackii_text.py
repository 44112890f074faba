import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "blockquote", "code", "pre", "hr", "br",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


@register.filter
def markdown(text: str) -> str:
    """Markdown to HTML with everything but plain structure removed (no links, images, scripts or styles):
    a summary must not load anything or carry anything it did not say."""
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    # Safe to mark: nh3 (Ammonia) has just removed every tag outside ALLOWED_TAGS, every attribute and every
    # URL, so no script, style, handler or link can survive.
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, url_schemes=set()))  # noqa: S308

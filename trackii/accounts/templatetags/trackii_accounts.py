from django import template
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from trackii.accounts.middleware import MFA_NEXT

register = template.Library()


@register.simple_tag(takes_context=True)
def after_mfa_setup_url(context) -> str:
    """Where "continue" leads once a second factor is set up: the page the login was heading for when it was
    sent to set one up, else the home page."""
    request = context.get("request")
    wanted = request.session.get(MFA_NEXT) if request is not None else None
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts=None) and wanted.startswith("/"):
        return wanted
    return reverse("home")

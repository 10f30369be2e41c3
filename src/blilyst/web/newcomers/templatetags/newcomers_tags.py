"""Template helpers: ``{% if user|may:"view_households" %}`` – whether the user has a capability anywhere."""

from django import template

from blilyst.web.accounts.roles import Capability

register = template.Library()


@register.filter
def may(user, capability: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.can_anywhere(Capability(capability))


@register.filter
def phone_uri(phone: str) -> str:
    """A phone number for a ``tel:`` link (RFC 3966): digits with a leading + kept; Norwegian numbers of
    eight digits get +47 so they dial from any phone."""
    import re

    text = (phone or "").strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        return "+" + digits
    if text.startswith("00"):
        return "+" + digits[2:]
    if len(digits) == 8:
        return "+47" + digits
    return digits

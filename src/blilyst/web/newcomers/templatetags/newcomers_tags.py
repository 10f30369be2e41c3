"""Template helpers: ``{% if user|may:"view_households" %}`` – whether the user has a capability anywhere."""

from django import template

from blilyst.web.accounts.roles import Capability

register = template.Library()


@register.filter
def may(user, capability: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.can_anywhere(Capability(capability))

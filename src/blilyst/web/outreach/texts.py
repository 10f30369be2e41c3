"""The default texts of the messages to households, one per purpose, in English msgids.

A municipality may write its own text for a purpose and language (``MessageTemplate``); without one the
default below is used, translated into the household's language where a catalog has it (bokmål,
nynorsk, English, and Polish and Ukrainian: ``outreach/locale/{pl,uk}`` hold only these texts and are kept by
hand, as ``make messages`` extracts for nb/nn/en only). Placeholders in braces are filled in when the message is made: see ``PLACEHOLDERS``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    WELCOME = "welcome", _("Welcome")
    FOLLOW_UP_3 = "follow_up_3", _("Follow-up after 3 months")
    FOLLOW_UP_12 = "follow_up_12", _("Follow-up after 12 months")
    FOLLOW_UP_24 = "follow_up_24", _("Follow-up after 24 months")
    OFFER = "offer", _("An offer")
    HOW_ARE_YOU = "how_are_you", _("How are you doing?")


PLACEHOLDERS = {
    "household": _("the household's name"),
    "contact_person": _("the contact person's name"),
    "municipality": _("the municipality's name"),
    "offer": _("what was offered (offers only)"),
}

DEFAULT_SUBJECTS = {
    Purpose.WELCOME: _("Welcome to {municipality}"),
    Purpose.FOLLOW_UP_3: _("Three months in {municipality}: shall we talk?"),
    Purpose.FOLLOW_UP_12: _("A year in {municipality}: shall we talk?"),
    Purpose.FOLLOW_UP_24: _("Two years in {municipality}: shall we talk?"),
    Purpose.OFFER: _("An offer from {municipality}"),
    Purpose.HOW_ARE_YOU: _("How are you doing?"),
}

DEFAULT_BODIES = {
    Purpose.WELCOME: _(
        "Dear {household},\n\nThank you for getting in touch with {municipality}. I am your contact person in the "
        "newcomer service, and I will help you with housing, work, kindergarten and everything else that a move "
        "involves. Just answer this e-mail, or call me.\n\nBest wishes,\n{contact_person}"
    ),
    Purpose.FOLLOW_UP_3: _(
        "Dear {household},\n\nYou have now lived in {municipality} for about three months. I would like to hear how "
        "it is going: with work, housing, kindergarten or school, and with getting to know people here. Answer this "
        "e-mail with a time that suits you for a short conversation.\n\nBest wishes,\n{contact_person}"
    ),
    Purpose.FOLLOW_UP_12: _(
        "Dear {household},\n\nIt is now a year since you moved to {municipality}. I would like to hear how the first "
        "year has been and whether there is anything we can help with. Answer this e-mail with a time that suits "
        "you for a short conversation.\n\nBest wishes,\n{contact_person}"
    ),
    Purpose.FOLLOW_UP_24: _(
        "Dear {household},\n\nYou have now lived in {municipality} for two years. I would like to hear how things "
        "are and what would make you want to stay. Answer this e-mail with a time that suits you for a short "
        "conversation.\n\nBest wishes,\n{contact_person}"
    ),
    Purpose.OFFER: _(
        "Dear {household},\n\nWe can offer you: {offer}.\n\nAnswer this e-mail to say whether you would like it, or "
        "if you have questions.\n\nBest wishes,\n{contact_person}"
    ),
    Purpose.HOW_ARE_YOU: _(
        "Dear {household},\n\nHow are you doing? If there is anything you wonder about or need help with, just "
        "answer this e-mail.\n\nBest wishes,\n{contact_person}"
    ),
}

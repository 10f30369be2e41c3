"""A real SMTP server on an ephemeral port of 127.0.0.1 (aiosmtpd), and Django's mail pointed at it."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest


class Inbox:
    """Collects what the SMTP server receives, as parsed e-mail messages."""

    def __init__(self):
        self.messages = []
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.envelopes.append(envelope)
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "tilflytting@kviteseid.example"
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def dead_smtp(settings):
    """Django's mail pointed at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 2


@pytest.fixture
def household(people):
    from blilyst.web.newcomers.demo import make_household

    people.alice.email = "alice@kviteseid.example"
    people.alice.last_name = "Aasen"
    people.alice.save()
    return make_household(people.a, "Familien Berg", contact_person=people.alice, email="kari@example.org")

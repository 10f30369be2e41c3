"""The client address failed logins are counted against (blilyst.web.accounts.lockout)."""

from __future__ import annotations

from django.test import RequestFactory

from blilyst.web.accounts.lockout import client_ip


def request(remote="10.0.0.5", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/accounts/login/", **extra)


def test_without_proxies_it_uses_the_socket_address(settings):
    settings.BLILYST_PROXY_COUNT = 0
    assert client_ip(request(forwarded="1.2.3.4")) == "10.0.0.5"  # a client cannot choose its address


def test_behind_one_proxy_it_takes_the_address_the_proxy_saw(settings):
    settings.BLILYST_PROXY_COUNT = 1
    # The client forged "1.2.3.4"; the proxy appended the real address 203.0.113.7.
    assert client_ip(request(forwarded="1.2.3.4, 203.0.113.7")) == "203.0.113.7"


def test_behind_two_proxies_it_skips_the_inner_one(settings):
    settings.BLILYST_PROXY_COUNT = 2
    assert client_ip(request(forwarded="1.2.3.4, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"


def test_a_missing_header_falls_back_to_the_socket_address(settings):
    settings.BLILYST_PROXY_COUNT = 1
    assert client_ip(request()) == "10.0.0.5"

"""Pages with the network blocked: every request a page makes goes through ``block_network``,
which lets file:// and this machine (127.0.0.1, localhost) through and aborts and records
everything else, so a test can assert that a deck or the site asked for nothing outside."""

from __future__ import annotations

from urllib.parse import urlsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("file", "data", "blob", "about") or (
        parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOCAL_HOSTS)


def block_network(context) -> list[str]:
    """Route every request of ``context``; returns the (live) list of URLs that were refused."""
    refused: list[str] = []

    def handle(route):
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            refused.append(url)
            route.abort("internetdisconnected")

    context.route("**/*", handle)
    return refused

"""Portal URLs: the base URL from any address on a portal, safe ids, credentials kept out."""

from __future__ import annotations

import pytest

from casesummary.exceptions import InvalidPortalAddress
from casesummary.portal.urls import check_id, is_portal_id, is_url, item_page, portal_base, redact

GUID = "0cad2b4d-c4a2-4583-a053-60704b2da0e5"


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("https://dagsordener.greve.dk", "https://dagsordener.greve.dk"),
        ("https://dagsordener.greve.dk/", "https://dagsordener.greve.dk"),
        (f"https://Dagsordener.Aarhus.DK/vis?id={GUID}", "https://dagsordener.aarhus.dk"),
        (f"https://host.dk/api/agenda/dagsorden/{GUID}", "https://host.dk"),
        ("https://host.dk/api/agenda/udvalgsliste", "https://host.dk"),
        ("http://127.0.0.1:8080/vis?id=x", "http://127.0.0.1:8080"),
        ("https://mirror.example/kommune/vis?id=x", "https://mirror.example/kommune"),
        (" https://host.dk/ \n", "https://host.dk"),
    ],
)
def test_portal_base_is_the_portal_root_of_any_address_on_it(url: str, base: str) -> None:
    assert portal_base(url) == base


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://host.dk/", "https:// or http://"),
        ("https:///vis?id=x", "no host"),
        ("https://host.dk:port/", "not a valid URL"),
        ("dagsordener.greve.dk", "https:// or http://"),
    ],
)
def test_portal_base_refuses_what_is_no_web_address(url: str, reason: str) -> None:
    with pytest.raises(InvalidPortalAddress, match=reason):
        portal_base(url)


def test_credentials_stay_in_the_base_url_but_never_in_what_is_shown() -> None:
    url = "https://reader:s3cret@mirror.example/vis?id=x"
    assert portal_base(url) == "https://reader:s3cret@mirror.example"
    assert redact(url) == "https://mirror.example/vis?id=x"
    assert redact("https://reader:s3cret@[::1]:8443/x") == "https://[::1]:8443/x"
    assert redact("https://host.dk/x") == "https://host.dk/x"
    with pytest.raises(InvalidPortalAddress) as caught:
        portal_base("ftp://reader:s3cret@host.dk/")
    assert "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://host.dk", True),
        ("HTTP://host.dk/vis?id=1", True),
        ("  https://host.dk", True),
        ("meeting.json", False),
        ("https://host.dk\nPunkt 1: …", False),
        ("{}", False),
    ],
)
def test_is_url_spots_web_addresses_only(text: str, expected: bool) -> None:
    assert is_url(text) is expected


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (GUID, True),
        ("39158", True),
        ("00000000-0000-0000-0000-000000000000", False),
        ("../../etc/passwd", False),
        ("a_b", False),
        ("a.json", False),
        ("", False),
        ("x" * 129, False),
    ],
)
def test_portal_ids_are_safe_in_paths_and_file_names(value: str, ok: bool) -> None:
    assert is_portal_id(value) is ok
    if not ok:
        with pytest.raises(InvalidPortalAddress, match="is not a portal id"):
            check_id(value, what="meeting id", url="https://host.dk")


def test_item_page_is_the_portals_own_deep_link() -> None:
    assert (
        item_page("https://u:p@host.dk", "M-1", "I-2") == "https://host.dk/vis?id=M-1&punktid=I-2"
    )
    assert item_page("https://host.dk", "M-1") == "https://host.dk/vis?id=M-1"

"""The compiled GOV.UK Frontend is a local-authority build: Arial, no crown, no GDS Transport."""

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"


def test_the_stylesheet_uses_arial_and_never_gds_transport():
    css = (STATIC / "govuk" / "govuk-frontend.min.css").read_text()

    assert "GDS Transport" not in css
    assert "arial" in css.lower()


def test_every_asset_the_stylesheet_refers_to_is_shipped():
    css = (STATIC / "govuk" / "govuk-frontend.min.css").read_text()
    urls = set(re.findall(r'url\("?(/static/[^")]+)"?\)', css))

    assert urls
    for url in urls:
        assert (STATIC / url.removeprefix("/static/")).is_file(), url


def test_no_gov_uk_fonts_or_crown_icons_are_shipped():
    shipped = {path.name for path in (STATIC / "govuk").rglob("*") if path.is_file()}

    assert not {name for name in shipped if name.endswith((".woff", ".woff2"))}
    assert not {name for name in shipped if name.startswith(("favicon", "govuk-icon"))}

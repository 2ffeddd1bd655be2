"""The launcher (.desktop) and the software-centre entry (AppStream metainfo) a user's desktop reads."""
from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import reader_app

PACKAGING = Path(__file__).resolve().parents[1] / "packaging"
DESKTOP = PACKAGING / "reader-app.desktop"
METAINFO = PACKAGING / "io.github.reader_app.metainfo.xml"


def desktop_entry() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(DESKTOP, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def semicolon_list(value: str) -> list[str]:
    return [item for item in value.split(";") if item]


def test_desktop_file_passes_the_freedesktop_validator():
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (apt-get install desktop-file-utils)")
    run = subprocess.run([validator, str(DESKTOP)], capture_output=True, text=True)
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert run.returncode == 0 and not errors, run.stdout


def test_desktop_file_offers_the_app_for_pdfs():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] and entry["Comment"]
    assert entry["Exec"] == "reader-app %f"  # one PDF per launch; the running window takes it over
    assert entry["Icon"] == "reader-app"
    assert "application/pdf" in semicolon_list(entry["MimeType"])
    assert {"Education", "Science", "Office"} <= set(semicolon_list(entry["Categories"]))
    assert entry["Terminal"] == "false"


def test_metainfo_has_the_appstream_keys_and_matches_the_launcher():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    for key in ("id", "name", "summary", "metadata_license", "project_license", "description"):
        element = root.find(key)
        assert element is not None and "".join(element.itertext()).strip(), f"<{key}> is missing or empty"
    assert root.findtext("id") == "io.github.reader_app"
    assert not root.findtext("summary").rstrip().endswith(".")  # AppStream: a summary is not a sentence
    launchable = root.find("launchable")
    assert launchable.get("type") == "desktop-id" and (PACKAGING / launchable.text).is_file()
    assert root.findtext("provides/binary") == "reader-app"
    media = [m.text for m in root.findall("provides/mediatype")]
    assert media == semicolon_list(desktop_entry()["MimeType"])
    assert [r.get("version") for r in root.findall("releases/release")][0] == reader_app.__version__


def test_metainfo_passes_appstreamcli():
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli is not installed")
    run = subprocess.run([tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr

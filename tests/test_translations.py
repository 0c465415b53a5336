"""The committed Spanish catalogue: the compiled .mo (committed, CI may lack GNU gettext) says exactly what
the .po says, and no translation drops or invents a placeholder (``%(name)s``; templates' ``{{ name }}``
are ``%(name)s`` in the catalogue)."""

from __future__ import annotations

import ast
import gettext
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])
PO = LOCALE / "es" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "es" / "LC_MESSAGES" / "django.mo"
FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif%]|\{\{\s*\w+\s*\}\}")


def po_entries(path: Path) -> list[dict[str, object]]:
    """The entries of a .po file: their fields (strings unescaped) and flags."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, object] = {"flags": set()}
        key = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                fields["flags"] = {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := FIELD.match(line):
                key = match.group(1)
                fields[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key is not None:
                fields[key] = str(fields[key]) + ast.literal_eval(line)
        if "msgid" in fields:
            entries.append(fields)
    return entries


def translations(path: Path) -> dict[object, str | tuple[str, ...]]:
    """What msgfmt compiles: non-fuzzy entries with every msgstr filled, keyed like GNUTranslations."""
    found: dict[object, str | tuple[str, ...]] = {}
    for entry in po_entries(path):
        if entry["msgid"] == "" or "fuzzy" in entry["flags"]:  # type: ignore[operator]
            continue
        msgid = str(entry["msgid"])
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            forms = tuple(str(v) for k, v in sorted(entry.items()) if k.startswith("msgstr["))
            if all(forms):
                found[(msgid, str(entry["msgid_plural"]))] = forms
        elif entry.get("msgstr"):
            found[msgid] = str(entry["msgstr"])
    return found


def placeholders(text: str) -> Counter[str]:
    return Counter(re.sub(r"\s", "", p) for p in PLACEHOLDER.findall(text))


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog: dict[object, str] = compiled._catalog  # type: ignore[attr-defined]
    expected = translations(PO)
    assert expected, "the Spanish catalogue translates nothing"
    in_mo: dict[object, object] = {}
    plural_ids = {key[0]: key[1] for key in expected if isinstance(key, tuple)}
    for key, value in catalog.items():
        if key == "":
            continue
        if isinstance(key, tuple):
            msgid, n = key
            forms = in_mo.setdefault((msgid, plural_ids.get(msgid)), {})
            forms[n] = value  # type: ignore[index]
        else:
            in_mo[key] = value
    in_mo = {
        k: tuple(v[n] for n in sorted(v)) if isinstance(v, dict) else v  # type: ignore[misc]
        for k, v in in_mo.items()
    }
    stale = sorted(str(k) for k in in_mo.keys() - expected.keys())
    missing = sorted(str(k) for k in expected.keys() - in_mo.keys())
    different = sorted(str(k) for k in expected.keys() & in_mo.keys() if expected[k] != in_mo[k])
    assert not (stale or missing or different), (
        "django.mo is out of date: run `make messages` (or compilemessages) and commit the .mo "
        f"(only in .mo: {stale[:5]}, only in .po: {missing[:5]}, different: {different[:5]})"
    )


def test_no_translation_drops_or_invents_a_placeholder() -> None:
    wrong = []
    for key, value in translations(PO).items():
        if isinstance(key, tuple):
            msgid, plural = key
            for n, form in enumerate(value):
                source = msgid if n == 0 else plural
                if placeholders(form) != placeholders(source):
                    wrong.append((source, form))
        elif placeholders(str(value)) != placeholders(str(key).split("\x04")[-1]):
            wrong.append((key, value))
    assert not wrong, wrong


def test_the_parser_sees_every_entry_of_the_po_file() -> None:
    text = PO.read_text(encoding="utf-8")
    assert len(po_entries(PO)) == text.count("\nmsgid ") + text.startswith("msgid ")


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES if code != "en"])
def test_each_declared_language_has_a_catalogue(language: str) -> None:
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()
    with translation.override(language):
        assert translation.gettext("Sign in to Tessera") != "Sign in to Tessera"


@pytest.mark.django_db
def test_the_pages_without_sign_in_are_translated() -> None:
    html = Client().get("/accounts/login/", headers={"accept-language": "es"}).content.decode()
    assert "Iniciar sesión" in html and "¿Olvidó su contraseña?" in html

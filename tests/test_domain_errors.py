"""Domain errors (:mod:`tessera.schools.errors`): each has a stable code and a message in the language of the
request, and one mapper turns it into the API's JSON body or a form's error.

The scan reads every ``.py`` file of ``src/tessera`` and checks each construction of a domain error (the
``raise`` sites, and the few errors built before they are raised): a ``code=`` keyword of the form
``app.what`` and a message marked for translation, ``_("…")``, maybe followed by ``%`` or ``.format``
(an f-string inside ``_()`` is refused: the catalogue could not hold it).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.test import Client

import tessera
from tessera.schools.errors import Conflict, DomainError, NotFound, add_form_error, api_body
from tessera.schools.models import User
from tests.conftest import World

SOURCE = Path(tessera.__file__).parent
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
GETTEXT = {"_", "gettext", "pgettext"}
ERRORS_MODULE = "tessera.schools.errors"
# Programmer errors no user sees (recording an event outside its transaction, an undeclared kind): a code,
# and an English message.
PROGRAMMER_ERRORS = {
    "events.outside_transaction",
    "events.undeclared_kind",
    "family.feed_outside_transaction",
    "family.feed_unknown_kind",
    "family.feed_unknown_topic",
}


@dataclass(frozen=True)
class Site:
    path: Path
    line: int
    call: ast.Call

    def __str__(self) -> str:
        return f"{self.path.relative_to(SOURCE.parent)}:{self.line}"


def _domain_error_classes() -> set[str]:
    """DomainError and every class of src/tessera that derives from it (by name)."""
    names = {"DomainError"}
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in SOURCE.rglob("*.py")]
    grew = True
    while grew:
        grew = False
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                    if bases & names:
                        names.add(node.name)
                        grew = True
    return names


def _constructions(path: Path, tree: ast.Module, classes: set[str]) -> Iterator[Site]:
    """Calls in ``tree`` that build a domain error: a class of ``classes`` named as defined here or
    imported from tessera (``PermissionDenied`` from django.core.exceptions is not one), also under an
    alias or through a module (``errors.NotFound``)."""
    local: dict[str, str] = {}  # name in this file → the class it is
    modules: set[str] = set()  # names of tessera modules imported here
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tessera"):
            for alias in node.names:
                if alias.name in classes:
                    local[alias.asname or alias.name] = alias.name
                else:
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name.startswith("tessera"))
        elif isinstance(node, ast.ClassDef) and node.name in classes:
            local[node.name] = node.name
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        by_name = isinstance(func, ast.Name) and func.id in local
        through_module = (
            isinstance(func, ast.Attribute)
            and func.attr in classes
            and isinstance(func.value, ast.Name)
            and func.value.id in modules
        )
        if by_name or through_module:
            yield Site(path, node.lineno, node)


def _sites() -> list[Site]:
    classes = _domain_error_classes()
    sites = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name == "errors.py" and path.parent.name == "schools":
            continue  # the classes themselves
        tree = ast.parse(path.read_text(encoding="utf-8"))
        sites.extend(_constructions(path, tree, classes))
    return sites


SITES = _sites()


def _code(call: ast.Call) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    return None


def _message(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg == "message"), None)


def _is_gettext_call(node: ast.expr) -> bool:
    """``_("literal")`` (or gettext/pgettext): every argument a plain string, no f-string."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in GETTEXT
        and bool(node.args)
        and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)
    )


def _is_translated(node: ast.expr) -> bool:
    if _is_gettext_call(node):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _is_gettext_call(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _is_gettext_call(node.func.value)
    return False


def _is_djangos_own_messages(node: ast.expr) -> bool:
    """``" ".join(error.messages)`` of a Django ``ValidationError`` (password validators, model field
    checks): Django translated those sentences already, in the language of the request."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Attribute)
        and node.args[0].attr == "messages"
    )


def test_the_scan_finds_the_domain_errors() -> None:
    paths = {site.path.relative_to(SOURCE).as_posix() for site in SITES}
    assert len(SITES) > 150, len(SITES)
    assert {"schools/services.py", "practice/services.py", "schools/roster/imports.py"} <= paths
    # Django's PermissionDenied is not a domain error, even where it is imported under that name.
    messages = SOURCE / "family" / "messages" / "services.py"
    in_messages = [ast.unparse(site.call.func) for site in SITES if site.path == messages]
    assert in_messages and "PermissionDenied" not in in_messages


def test_every_domain_error_has_a_code_app_dot_what() -> None:
    wrong = [f"{site}: {_code(site.call)!r}" for site in SITES if not CODE.match(_code(site.call) or "")]
    assert not wrong, 'a domain error without a code="app.what" keyword:\n' + "\n".join(wrong)


def test_every_domain_error_message_is_marked_for_translation() -> None:
    wrong = []
    for site in SITES:
        message = _message(site.call)
        if _code(site.call) in PROGRAMMER_ERRORS:
            continue
        if message is None or not (_is_translated(message) or _is_djangos_own_messages(message)):
            wrong.append(f"{site}: {ast.unparse(message) if message is not None else None}")
    assert not wrong, (
        'a domain error whose message is not _("…") (then % or .format for placeholders):\n'
        + "\n".join(wrong)
    )


def test_the_programmer_errors_are_still_raised_somewhere() -> None:
    assert {_code(site.call) for site in SITES} >= PROGRAMMER_ERRORS


def _binds_underscore(function: ast.AST) -> bool:
    """Whether ``function`` assigns ``_`` in its own scope (``x, _ = …``, ``for _ in``), which would make
    ``_("…")`` there call the local value, not gettext."""
    todo = list(ast.iter_child_nodes(function))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            continue  # a comprehension's variables are its own
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
            return True
        todo.extend(ast.iter_child_nodes(node))
    return False


def test_underscore_is_gettext_where_domain_errors_use_it() -> None:
    wrong = []
    for path in sorted({site.path for site in SITES}):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        uses_underscore = any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
            for n in ast.walk(tree)
        )
        if not uses_underscore:
            continue
        if not re.search(r"^from django\.utils\.translation import gettext as _$", text, re.M):
            wrong.append(f"{path}: _ is not django.utils.translation.gettext")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _binds_underscore(node):
                calls = [
                    n
                    for n in ast.walk(node)
                    if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
                ]
                if calls:
                    wrong.append(f"{path}:{node.lineno}: {node.name} binds _ and calls _()")
    assert not wrong, "\n".join(wrong)


# --- the mapper ------------------------------------------------------------------------------------


def test_the_api_body_has_the_message_and_the_code() -> None:
    error = Conflict("Already there.", code="schools.term_exists")
    assert api_body(error) == {"detail": "Already there.", "code": "schools.term_exists"}
    assert error.status == 409 and str(error) == "Already there."


def test_the_form_mapper_keeps_the_code() -> None:
    class NameForm(forms.Form):
        name = forms.CharField()

    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_form_error(form, DomainError("Refused.", code="schools.name_required"))
    add_form_error(form, NotFound("No such name.", code="schools.person_not_found"), "name")
    assert form.non_field_errors() == ["Refused."]
    assert form.has_error("__all__", "schools.name_required")
    assert form.has_error("name", "schools.person_not_found")
    assert "name" not in form.cleaned_data


def test_a_domain_error_needs_a_code() -> None:
    with pytest.raises(TypeError):
        DomainError("No code.")  # type: ignore[call-arg]


# --- in the language of the request ---------------------------------------------------------------


def _signed_in(user: User, language: str) -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _class_in_a_missing_term(client: Client, world: World) -> Any:
    return client.post(
        f"/api/schools/{world.a.school.pk}/classes",
        data={"name": "7C", "subject": "Maths", "grade_level": 7, "term_id": 999_999},
        content_type="application/json",
    )


@pytest.mark.django_db
def test_an_api_error_is_in_the_users_language_with_the_same_code(world: World) -> None:
    english = _class_in_a_missing_term(_signed_in(world.a.admin, "en"), world)
    spanish = _class_in_a_missing_term(_signed_in(world.a.admin, "es"), world)
    assert english.status_code == spanish.status_code == 404
    assert english.json() == {"detail": "No term 999999 in this school.", "code": "schools.term_not_found"}
    assert spanish.json() == {
        "detail": "No hay ningún periodo 999999 en esta escuela.",
        "code": "schools.term_not_found",
    }


@pytest.mark.django_db
def test_a_conflict_of_the_api_in_spanish(world: World) -> None:
    """A message with two placeholders, filled after translation, and a 409."""
    client = _signed_in(world.a.admin, "es")
    path = f"/api/classes/{world.a.klass.pk}/enrolments"
    learner = world.a.membership(world.a.learner)
    response = client.post(path, data={"learner_id": learner.pk}, content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "schools.already_enrolled"
    assert body["detail"] == f"{world.a.learner.name} ya está inscrito en {world.a.klass.name}."


QUIET_HOURS_WITHOUT_AN_END = {
    "delivery": "in_app",
    "weekday": "5",
    "hour": "17",
    "quiet_start": "22:00",
    "quiet_end": "",
    "timezone": "UTC",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Give quiet hours both a start and an end, or leave both empty."),
        ("es", "Indique el inicio y el final de las horas de silencio, o deje ambos vacíos."),
    ],
)
def test_a_form_error_of_a_page_is_in_the_users_language(world: World, language: str, sentence: str) -> None:
    client = _signed_in(world.a.guardian, language)
    response = client.post("/family/notifications/", QUIET_HOURS_WITHOUT_AN_END)
    assert response.status_code == 400
    assert sentence in response.content.decode()
    form = response.context["form"]
    assert form.has_error("__all__", "family.quiet_hours_incomplete")

"""The question bank's pages: the list, the editor with its preview, the item page and its actions."""

from __future__ import annotations

from typing import Any

from tessera.curriculum.items import services
from tessera.curriculum.models import Item, ItemCompetency
from tests.curriculum.documents import small_framework
from tests.curriculum.items.helpers import answer, competency, spec


def _form(framework: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "kind": "multiple_choice",
        "stem": r"What is \(\frac{1}{2} + \frac{1}{4}\)?",
        "choices": "\\(\\frac{3}{4}\\)\n\\(\\frac{2}{6}\\)\n1",
        "correct": "1",
        "hints": "Make the quarters first.",
        "feedback": "Two quarters and one quarter: three quarters.",
        "difficulty": "0.5",
        "language": "en",
        "tags": "fractions, adding",
        "competencies": [str(competency(framework).pk)],
        "primary": str(competency(framework).pk),
        "client_id": "c0ffee00-0000-4000-8000-000000000001",
        "framework": str(framework.pk),
        "action": "save",
    }
    data.update(changes)
    return data


def test_the_bank_lists_searches_and_shows_an_empty_state(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    url = f"/school/{world.a.school.pk}/items/"
    page = client.get(url).content.decode()
    assert "Question bank" in page and "Write a question" in page and "3 questions" in page
    assert "frac-1" in page and "add-1" in page
    page = client.get(url, {"q": "half"}).content.decode()
    assert "frac-1" in page and "add-1" not in page
    page = client.get(url, {"q": "nothing like this"}).content.decode()
    assert "No question matches" in page
    services.item_create(actor=world.a.teacher, framework=framework, spec=spec(framework))
    page = client.get(url, {"tag": "halves"}).content.decode()
    assert "1 question" in page
    para_page = client_for(world.a.para).get(url).content.decode()
    assert "frac-1" in para_page and "Write a question" not in para_page


def test_the_bank_paginates_25_a_page(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    for n in range(24):
        services.item_create(
            actor=world.a.teacher, framework=framework, spec=spec(framework, code=f"gen-{n}")
        )
    client = client_for(world.a.teacher)
    first = client.get(f"/school/{world.a.school.pk}/items/").content.decode()
    assert "27 questions" in first and "Page 1 of 2" in first and first.count('class="card"') == 25
    second = client.get(f"/school/{world.a.school.pk}/items/", {"page": 2}).content.decode()
    assert second.count('class="card"') == 2


def test_a_teacher_writes_previews_and_saves_a_question(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    url = f"/school/{world.a.school.pk}/items/new/?framework={framework.pk}"
    editor = client.get(url).content.decode()
    assert 'for="id_stem"' in editor and "\\(" in editor and "file:12" in editor and "items.js" in editor
    before = Item.objects.count()
    preview = client.post(url, _form(framework, action="preview"))
    page = preview.content.decode()
    assert preview.status_code == 200 and Item.objects.count() == before
    assert "<math" in page and "<mfrac>" in page and "Read aloud" in page and "item-preview-frame" in page
    assert "1 over 2 plus 1 over 4" in page  # what read-aloud says
    saved = client.post(url, _form(framework))
    item = Item.objects.get(framework=framework, tags=["fractions", "adding"])
    assert saved.status_code == 302 and saved["Location"] == f"/school/{world.a.school.pk}/items/{item.pk}/"
    again = client.post(url, _form(framework))  # the same form sent twice: one question
    assert again["Location"] == saved["Location"]
    assert Item.objects.count() == before + 1
    item_page = client.get(saved["Location"]).content.decode()
    assert "version 1" in item_page and "<mfrac>" in item_page and "Retire…" in item_page
    assert "Fractions <strong>(primary)</strong>" in item_page


def test_bad_input_is_a_400_with_the_error_and_saves_nothing(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    url = f"/school/{world.a.school.pk}/items/new/?framework={framework.pk}"
    before = Item.objects.count(), ItemCompetency.objects.count()
    for changes, words in [
        ({"correct": ""}, "Mark the correct choice"),
        ({"choices": "1/2\n 1/2\n1"}, "are the same"),
        ({"stem": r"\(\frac{1}{2\)"}, "not valid LaTeX at character"),
        ({"stem": "![](file:3)"}, "needs alt text"),
        ({"kind": "numeric", "numeric_answer": "2", "tolerance": "-1"}, "tolerance cannot be below zero"),
    ]:
        response = client.post(url, _form(framework, client_id="", **changes))
        assert response.status_code == 400, changes
        assert words in response.content.decode(), changes
    assert (Item.objects.count(), ItemCompetency.objects.count()) == before


def test_editing_an_answered_question_makes_version_2_and_lists_both(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    item = services.item_create(actor=world.a.teacher, framework=framework, spec=spec(framework))
    answer(item, world.a.learner)
    client = client_for(world.a.teacher)
    edit_url = f"/school/{world.a.school.pk}/items/{item.pk}/edit/"
    editor = client.get(edit_url).content.decode()
    assert "saving makes a new version" in editor and "Which is" in editor
    response = client.post(edit_url, _form(framework, stem="Half of 10?", client_id=""))
    new = Item.objects.get(lineage=item)
    assert response["Location"] == f"/school/{world.a.school.pk}/items/{new.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Saved as version 2." in page and "version 1</a>" in page and "current" in page
    old = client.get(f"/school/{world.a.school.pk}/items/{item.pk}/").content.decode()
    assert "This is an earlier version" in old and "Retire…" not in old


def test_retire_restore_and_duplicate_buttons(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    item = services.item_create(actor=world.a.teacher, framework=framework, spec=spec(framework, code="half"))
    client = client_for(world.a.teacher)
    base = f"/school/{world.a.school.pk}/items/{item.pk}"
    assert client.post(f"{base}/retire/").status_code == 302
    item.refresh_from_db()
    assert item.retired_at is not None
    assert "Retired: practice does not offer it" in client.get(f"{base}/").content.decode()
    client.post(f"{base}/restore/")
    item.refresh_from_db()
    assert item.retired_at is None
    copied = client.post(f"{base}/duplicate/")
    copy = Item.objects.get(code="half-copy")
    assert copied["Location"] == f"/school/{world.a.school.pk}/items/{copy.pk}/"
    assert client_for(world.a.para).post(f"{base}/retire/").status_code == 403


def test_shared_items_are_read_only_with_a_note(world, client_for) -> None:  # type: ignore[no-untyped-def]
    shared = small_framework(None, code="shared", name="Shared maths")
    item = Item.objects.get(framework=shared, code="frac-1")
    client = client_for(world.a.teacher)
    page = client.get(f"/school/{world.a.school.pk}/items/{item.pk}/").content.decode()
    assert "read-only here" in page and "Retire…" not in page
    assert client.get(f"/school/{world.a.school.pk}/items/{item.pk}/edit/").status_code == 403
    assert client.post(f"/school/{world.a.school.pk}/items/{item.pk}/retire/").status_code == 403


def test_the_preview_endpoint_renders_without_saving(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    url = f"/school/{world.a.school.pk}/items/preview/"
    ok = client.post(url, _form(framework))
    assert ok.status_code == 200 and b"<mfrac>" in ok.content and b"<html" not in ok.content
    bad = client.post(url, _form(framework, stem=r"\(\frac{1}{2\)"))
    assert bad.status_code == 400 and b"not valid LaTeX" in bad.content


def test_links_from_the_framework_page_and_home(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    bank = f"/school/{world.a.school.pk}/items/"
    assert bank in client.get(f"/school/{world.a.school.pk}/frameworks/{framework.pk}/").content.decode()
    assert bank in client.get("/").content.decode()

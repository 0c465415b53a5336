"""Teacher-written text as learners and screen readers get it: maths as MathML, Markdown made safe, images
only from the school's uploads and with alt text, invalid LaTeX refused with the character at fault, and the
words read-aloud says."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tessera.curriculum.answers import answer_check
from tessera.curriculum.rich_text import text_check, text_html, text_speech
from tessera.schools.errors import DomainError


def test_maths_becomes_mathml_and_markdown_html() -> None:
    html = text_html(r"What is \(\frac{3}{4} + \frac{1}{8}\)? **Show** your working.")
    assert "<mfrac><mrow><mn>3</mn></mrow><mrow><mn>4</mn></mrow></mfrac>" in html
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in html
    assert "<strong>Show</strong>" in html
    assert 'display="block"' in text_html(r"\[x^2 = 9\]")
    assert text_html("Costs $5 and $7", inline=True) == "Costs $5 and $7", "dollars stay dollars"


@pytest.mark.parametrize(
    ("text", "what_is_left_out"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "<img"),
        ("[click](javascript:alert(1))", 'href="javascript'),
        (r"\(\text{<script>alert(1)</script>}\)", "<script"),
        ("![a pie](file:///etc/passwd)", "<img"),
    ],
)
def test_nothing_runs_and_no_image_comes_from_elsewhere(text: str, what_is_left_out: str) -> None:
    assert what_is_left_out not in text_html(text)


def test_an_upload_is_shown_at_its_guarded_address() -> None:
    html = text_html("![a pie cut in eight](file:12)")
    assert '<img src="/school/files/12/" alt="a pie cut in eight">' in html


@pytest.mark.parametrize(
    ("text", "code", "said"),
    [
        (r"Add \(\frac{3}{4\) now", "curriculum.latex_invalid", "character 15"),
        (r"\(x + \foo{1}\)", "curriculum.latex_invalid", "\\foo"),
        (r"\(x }\)", "curriculum.latex_invalid", "character 5"),
        (r"opens \( and never closes", "curriculum.latex_invalid", "never closed"),
        ("![](file:3)", "curriculum.image_without_alt", "alt text"),
        ("![a pie](https://example.org/pie.png)", "curriculum.external_image", "uploaded"),
    ],
)
def test_text_that_would_not_render_is_refused_saying_where(text: str, code: str, said: str) -> None:
    with pytest.raises(DomainError) as refused:
        text_check(text, what="the question")
    assert refused.value.code == code and said in refused.value.message


def test_read_aloud_says_the_maths_in_words() -> None:
    assert text_speech(r"What is \(\frac{3}{4}\) of 12?") == "What is 3 over 4 of 12?"
    assert text_speech(r"\(\sqrt{16} + 2^3\)") == "the square root of 16 plus 2 cubed"
    assert text_speech("![a pie cut in eight](file:3) **Count**") == "a pie cut in eight Count"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_that_passes_the_check_renders_without_a_script(text: str) -> None:
    try:
        text_check(text, what="the question")
    except DomainError:
        return
    html = text_html(text)
    assert "<script" not in html and not re.search(r"<[^>]*\son[a-z]+=", html), "no script, no handler"


def test_multiple_selection_is_right_only_with_exactly_the_right_options() -> None:
    spec = {
        "kind": "multiple_selection",
        "choices": [r"\(\frac{1}{2}\)", "0.5", "2/4", "5"],
        "answer": [0, 1, 2],
    }
    assert answer_check(spec, [2, 1, 0])
    assert not answer_check(spec, [0, 1])
    assert not answer_check(spec, [0, 1, 2, 3])
    for malformed in ([], [7], "0", [True]):
        with pytest.raises(ValueError):
            answer_check(spec, malformed)
    with pytest.raises(ValueError, match="marked by the teacher"):
        answer_check({"kind": "open_response"}, "my essay")

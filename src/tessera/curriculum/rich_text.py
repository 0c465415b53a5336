"""Teacher-written text (item stems, choices, hints, feedback, rubrics, resource pages): Markdown with maths.

Maths is LaTeX between ``\\(`` and ``\\)`` (inline) or ``\\[`` and ``\\]`` (a display line), as MathJax and
Moodle write it; dollar signs stay dollar signs, since word problems are full of prices. It is rendered on
the server to MathML (``latex2mathml``), which every current browser draws and screen readers read, so a
page needs no JavaScript or CDN for it. The Markdown (``markdown-it-py``, CommonMark, raw HTML off) is
sanitized (``nh3``) with a list of allowed tags that adds MathML's: no script, no event handler, no style,
no image from elsewhere. Images are uploads of the school (``![alt text](file:12)``) and need alt text.

:func:`text_check` refuses what would not render (invalid LaTeX, with the character where the problem
is; an image without alt text or from elsewhere); :func:`text_html` renders; :func:`text_speech` gives the
words the browser's speech synthesis reads aloud (``\\frac{3}{4}`` is "3 over 4").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import nh3
from django.urls import reverse
from django.utils.translation import gettext as _
from latex2mathml.converter import convert
from markdown_it import MarkdownIt

from tessera.schools.errors import DomainError

MATH = re.compile(r"\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\]", re.DOTALL)
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)[^)]*\)")
UPLOAD = re.compile(r"file:(?P<id>\d{1,18})")
COMMAND = re.compile(r"\\([A-Za-z]+)")
# placeholders for formulas while the Markdown is rendered: private-use characters no one types
HOLE = "\ue000{}\ue001"
HOLES = re.compile("\ue000(\\d+)\ue001")

MARKDOWN_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "img", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "hr", "span",
}  # fmt: skip
MATHML_TAGS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "mfrac", "msqrt", "mroot", "msup", "msub",
    "msubsup", "munder", "mover", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom",
    "menclose", "semantics", "annotation", "mmultiscripts", "mprescripts", "none",
}  # fmt: skip
MATHML_ATTRIBUTES = {
    "display", "xmlns", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace", "accent",
    "accentunder", "linethickness", "columnalign", "rowspacing", "columnspacing", "notation", "width",
    "encoding", "movablelimits", "symmetric", "minsize", "maxsize", "form", "largeop",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"scope"},
    "ol": {"start"},
    **{tag: MATHML_ATTRIBUTES for tag in MATHML_TAGS},
}
# LaTeX commands that latex2mathml turns into MathML; any other is refused (it would be shown as "\foo")
SPOKEN = {
    "frac": "over", "dfrac": "over", "tfrac": "over", "sqrt": "square root of", "times": "times",
    "div": "divided by", "cdot": "times", "pm": "plus or minus", "le": "less than or equal to",
    "leq": "less than or equal to", "ge": "greater than or equal to", "geq": "greater than or equal to",
    "neq": "is not equal to", "ne": "is not equal to", "approx": "is approximately", "pi": "pi",
    "degree": "degrees", "circ": "degrees", "infty": "infinity", "lt": "less than", "gt": "greater than",
    "alpha": "alpha", "beta": "beta", "theta": "theta", "angle": "angle", "triangle": "triangle",
    "percent": "percent", "%": "percent", "sum": "the sum of", "cdots": "and so on", "ldots": "and so on",
    "dots": "and so on",
}  # fmt: skip
LAYOUT = {
    "left", "right", "text", "mathrm", "mathbf", "mathit", "quad", "qquad", "overline", "underline",
    "hat", "bar", "vec", "begin", "end", "displaystyle", "mathbb", "operatorname", "big", "Big", "limits",
    "to", "rightarrow", "leftarrow", "Rightarrow", "cup", "cap", "in", "notin", "subset", "emptyset",
    "perp", "parallel", "sim", "cong", "equiv", "propto", "gamma", "delta", "Delta", "lambda", "mu",
    "sigma", "Sigma", "omega", "Omega", "phi", "rho", "tau", "epsilon", "varepsilon", "log", "ln", "sin",
    "cos", "tan", "min", "max", "lim", "int", "prod", "mid", "colon", "backslash", "{", "}", "langle",
    "rangle", "lfloor", "rfloor", "lceil", "rceil", "prime", "square", "checkmark", "star", "ast",
    "mathcal", "boxed", "binom", "pmatrix", "bmatrix", "matrix", "cases", "underbrace", "overbrace",
    "mod", "bmod", "pmod", "gcd", "det", "exp", "vert", "Vert", "implies", "iff", "forall", "exists",
    "neg", "land", "lor", "nabla", "partial", "hbar", "ell", "aleph", "Re", "Im", "wp", "top", "bot",
}  # fmt: skip
KNOWN = set(SPOKEN) | LAYOUT


@dataclass(frozen=True)
class Formula:
    start: int  # where the formula's LaTeX starts in the text
    latex: str
    display: bool


def _formulas(text: str) -> list[Formula]:
    found = []
    for match in MATH.finditer(text):
        display = match.group("display") is not None
        group = "display" if display else "inline"
        found.append(Formula(match.start(group), match.group(group), display))
    return found


def _latex_problem(latex: str) -> tuple[int, str] | None:
    """Where (an offset in ``latex``) and what is wrong with it, or None."""
    depth, opened = 0, []
    for offset, char in enumerate(latex):
        if char == "{" and (offset == 0 or latex[offset - 1] != "\\"):
            depth += 1
            opened.append(offset)
        elif char == "}" and (offset == 0 or latex[offset - 1] != "\\"):
            if depth == 0:
                return offset, _("a “}” closes nothing")
            depth -= 1
            opened.pop()
    if opened:
        return opened[-1], _("this “{” is never closed")
    for command in COMMAND.finditer(latex):
        if command.group(1) not in KNOWN:
            return command.start(), _("\\%(command)s is not a LaTeX command Tessera knows") % {
                "command": command.group(1)
            }
    try:
        convert(latex)
    except Exception as error:  # latex2mathml raises its own exception types, one per mistake
        name = re.sub(r"(?<!^)(?=[A-Z])", " ", type(error).__name__).lower().removesuffix(" error")
        return 0, name
    return None


def text_check(text: str, *, what: str) -> None:
    """Refuse ``text`` (a ``DomainError`` naming ``what`` and the character) if its maths is not valid
    LaTeX, an image has no alt text, or an image is not one of the school's uploads."""
    for formula in _formulas(text):
        problem = _latex_problem(formula.latex)
        if problem is not None:
            offset, reason = problem
            raise DomainError(
                _("The maths in %(what)s is not valid LaTeX at character %(position)s: %(reason)s.")
                % {"what": what, "position": formula.start + offset + 1, "reason": reason},
                code="curriculum.latex_invalid",
            )
    if re.search(r"\\\(|\\\[", MATH.sub("", text)):
        raise DomainError(
            _("The maths in %(what)s opens with \\( or \\[ and is never closed.") % {"what": what},
            code="curriculum.latex_invalid",
        )
    for image in IMAGE.finditer(text):
        if not image.group("alt").strip():
            raise DomainError(
                _("Every image in %(what)s needs alt text, which describes it for those who cannot see it: "
                  "![what it shows](file:…).") % {"what": what},
                code="curriculum.image_without_alt",
            )  # fmt: skip
        if not UPLOAD.fullmatch(image.group("src")):
            raise DomainError(
                _("An image in %(what)s must be a file uploaded to the school (file:…), not from elsewhere.")
                % {"what": what},
                code="curriculum.external_image",
            )


def uploads_named(text: str) -> set[int]:
    """The ids of the school's files ``text``'s images show (the caller checks they are the school's)."""
    return {
        int(match.group("id"))
        for image in IMAGE.finditer(text)
        if (match := UPLOAD.fullmatch(image.group("src")))
    }


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    usual = markdown.validateLink
    # ``file:12`` (an upload of the school) is let through here and made its address by the sanitizer
    markdown.validateLink = lambda url: bool(UPLOAD.fullmatch(url)) or usual(url)  # type: ignore[method-assign]
    return markdown


def _mathml(formula: Formula) -> str:
    return convert(formula.latex, display="block" if formula.display else "inline")


def _upload_url(src: str) -> str:
    match = UPLOAD.fullmatch(src)
    return reverse("curriculum-file", args=[int(match.group("id"))]) if match else ""


def _attribute_allowed(tag: str, attribute: str, value: str) -> str | None:
    """An image's source is an upload of the school, given its address; a link to one too."""
    if tag == "img" and attribute == "src":
        return _upload_url(value) or None
    if tag == "a" and attribute == "href" and value.startswith("file:"):
        return _upload_url(value) or None
    return value


@lru_cache(maxsize=4096)
def text_html(text: str, *, inline: bool = False) -> str:
    """Safe HTML of ``text`` (checked by :func:`text_check` when it was saved): Markdown, maths as MathML.
    ``inline`` drops the paragraph around a one-paragraph text (a choice, a hint)."""
    formulas = _formulas(text)
    numbers = iter(range(len(formulas)))
    holed = MATH.sub(lambda _match: HOLE.format(next(numbers)), text)
    html = _markdown().renderInline(holed) if inline else _markdown().render(holed)
    html = HOLES.sub(lambda m: _mathml(formulas[int(m.group(1))]), html)
    return nh3.clean(
        html,
        tags=MARKDOWN_TAGS | MATHML_TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_allowed,
        url_schemes={"http", "https", "mailto", "file"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _spoken_latex(latex: str) -> str:
    words = latex
    words = re.sub(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r" \1 over \2 ", words)
    words = re.sub(r"\\sqrt\s*\{([^{}]*)\}", r" the square root of \1 ", words)
    words = re.sub(r"\^\s*\{?\s*2\s*\}?", " squared ", words)
    words = re.sub(r"\^\s*\{?\s*3\s*\}?", " cubed ", words)
    words = re.sub(
        r"\^\s*\{([^{}]*)\}|\^\s*(\S)", lambda m: f" to the power of {m.group(1) or m.group(2)} ", words
    )
    words = re.sub(r"_\s*\{([^{}]*)\}|_\s*(\S)", lambda m: f" sub {m.group(1) or m.group(2)} ", words)
    words = COMMAND.sub(lambda m: f" {SPOKEN.get(m.group(1), '')} ", words)
    words = words.replace("=", " equals ").replace("+", " plus ").replace("-", " minus ")
    words = words.replace("<", " less than ").replace(">", " greater than ")
    return " ".join(re.sub(r"[{}\\]", " ", words).split())


def text_speech(text: str) -> str:
    """What read-aloud says for ``text``: maths in words, an image by its alt text, no Markdown marks."""
    spoken = MATH.sub(lambda m: f" {_spoken_latex(m.group('inline') or m.group('display') or '')} ", text)
    spoken = IMAGE.sub(lambda m: f" {m.group('alt')} ", spoken)
    spoken = re.sub(r"[*_#`>]+", "", spoken)
    return " ".join(spoken.split())

"""The item statistics page for a school's staff (issue 26, part 6), under
/school/<school_id>/items/<item_id>/statistics/.

Staff of the school who may see the item's answers (its framework is the school's or a shared one) read
the statistics of the school's own learners; everyone else gets 404, so the page reveals nothing.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from tessera.curriculum.permissions import schools_staffed_by
from tessera.curriculum.rich_text import text_html
from tessera.practice import item_statistics
from tessera.schools.models import User


@login_required
@require_GET
def item_statistics_page(request: HttpRequest, school_id: int, item_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    school = get_object_or_404(schools_staffed_by(user), pk=school_id)
    item = get_object_or_404(item_statistics.items_with_statistics_for(user, school), pk=item_id)
    found = item_statistics.item_statistics(item, school_ids=[school.pk])
    context = {
        "school": school,
        "statistics": found,
        "framework": item.framework,
        # sanitized by nh3 in curriculum.rich_text: the teacher's Markdown and maths as safe HTML
        "stem_html": mark_safe(text_html(found.item.stem)),  # noqa: S308
        "thresholds": {
            "answers": item_statistics.MIN_ANSWERS_FOR_FLAG,
            "wrong_percent": round(item_statistics.EVERYONE_WRONG_BELOW * 100),
            "learners": item_statistics.MIN_LEARNERS_FOR_DISCRIMINATION,
        },
    }
    return render(request, "practice/item_statistics.html", context)

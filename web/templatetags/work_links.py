"""`{% work_link case milestone_id as work %}`: where the work that does a milestone is
recorded (web/work_links.py), so a page that offers to record it never names the page
itself. `work.url` and `work.text`; None when no recorded work does the milestone."""

from django import template

from web import work_links

register = template.Library()


@register.simple_tag
def work_link(case, milestone_id: str) -> work_links.WorkLink | None:
    return work_links.work_link(case.id, milestone_id)

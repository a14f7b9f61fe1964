"""The case page's "Decisions and plans" section: two queries, whatever the case holds."""

from django import template

from plans.selectors import case_summary

register = template.Library()


@register.inclusion_tag("plans/_case_section.html", takes_context=True)
def plans_section(context, case):
    summary = case_summary(case)
    return {
        "case": case,
        "latest": summary.latest,
        "plan": summary.birth_plan,
        "can_change": context.get("can_change"),
    }

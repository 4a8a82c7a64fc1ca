"""The folding filter panel of list pages (includes/filter_form.html)."""

from django import template

register = template.Library()


@register.filter
def filters_in_use(form) -> int:
    """How many of a bound filter form's fields hold a value: the folded panel says so, since
    a narrow screen shows the shortened list without the fields that shortened it."""
    if not form.is_bound:
        return 0
    return sum(1 for field in form if field.data not in (None, "", [], False))

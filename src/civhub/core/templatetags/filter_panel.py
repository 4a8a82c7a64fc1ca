"""The folding filter panel of list pages (includes/filter_form.html)."""

from django import template

register = template.Library()


def _in_use(field) -> bool:
    value = field.data
    if value in (None, "", [], False):
        return False
    choices = getattr(field.field, "choices", None)
    if choices is not None and not isinstance(value, list | tuple):
        first = next(iter(choices), None)
        # A choice without an empty option (e.g. the sort order) always sends its first value:
        # that value narrows nothing.
        if first is not None and first[0] != "" and str(value) == str(first[0]):
            return False
    return True


@register.filter
def filters_in_use(form) -> int:
    """How many of a bound filter form's fields narrow the list: the folded panel says so,
    since a narrow screen shows the shortened list without the fields that shortened it."""
    if not form.is_bound:
        return 0
    return sum(1 for field in form if _in_use(field))

"""The helpers every app's API and filters share: related_code(s) and in_any_language."""

from types import SimpleNamespace

from django.db.models import Q

from civhub.core.api import related_code, related_codes
from civhub.core.filters import AnyLanguageFilter, in_any_language


class Record(SimpleNamespace):
    """A record whose missing relation raises AttributeError, as a missing one-to-one does."""


def test_related_code_names_the_related_record_or_none():
    country = SimpleNamespace(code="KZ", name="Kazakhstan")
    resolve = related_code("country").__func__
    assert resolve(Record(country=country)) == "KZ"
    assert resolve(Record(country=None)) is None
    assert related_code("country", "name").__func__(Record(country=country)) == "Kazakhstan"


def test_related_code_crosses_relations_and_missing_ones():
    resolve = related_code("decision.prize", "title").__func__
    prize = SimpleNamespace(title="First prize")
    assert resolve(Record(decision=SimpleNamespace(prize=prize))) == "First prize"
    assert resolve(Record(decision=SimpleNamespace(prize=None))) is None
    assert resolve(Record()) is None  # no decision at all


def test_related_code_holds_back_what_the_caller_may_not_see():
    resolve = related_code("country", shown=lambda obj, context: context["shown"]).__func__
    record = Record(country=SimpleNamespace(code="GE"))
    assert resolve(record, {"shown": True}) == "GE"
    assert resolve(record, {"shown": False}) is None


def test_related_codes_lists_a_links_records_by_their_key_in_order():
    class Link:
        def __init__(self, *records):
            self.records = records

        def all(self):
            return list(self.records)

    topics = Link(SimpleNamespace(slug="ethics", code="E"), SimpleNamespace(slug="hr", code="H"))
    assert related_codes("topics", "slug").__func__(Record(topics=topics)) == ["ethics", "hr"]
    assert related_codes("topics").__func__(Record(topics=topics)) == ["E", "H"]
    assert related_codes("topics").__func__(Record(topics=Link())) == []


def test_in_any_language_looks_in_every_interface_language_and_the_extra_lookups():
    condition = in_any_language("каз", ["title", "summary"], ["code__iexact"])
    expected = Q()
    for field in ("title", "summary"):
        for code in ("en", "ru", "kk"):
            expected |= Q(**{f"{field}_{code}__folded": "каз"})
    expected |= Q(code__iexact="каз")
    assert condition == expected


def test_the_filter_keeps_its_fields_apart_from_the_form_fields():
    f = AnyLanguageFilter(label="Name", fields=["title"], also=["acronym__folded"])
    assert (f.fields, f.also) == (("title",), ("acronym__folded",))
    assert "fields" not in f.extra and "also" not in f.extra

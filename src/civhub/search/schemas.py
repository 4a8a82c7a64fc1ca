"""The JSON shape of a search's answer, written once: the API declares it (api.py) and
`Results.as_json()` makes it, for the API and `civhub search --json` alike."""

from __future__ import annotations

from ninja import Field, Schema


class SearchResultOut(Schema):
    type: str
    id: str = Field(description="The record's id; for a country profile, the country's code.")
    title: str
    url: str = Field(description="The record's page, in the language of the answer.")
    snippet: str = Field(description="HTML: escaped text with the matched words in <mark>.")
    language: str = Field(description="The language of the title and snippet.")
    original_language: str
    score: float
    year: int | None

    # Read from a presentation.Result.
    @staticmethod
    def resolve_type(result) -> str:
        return result.kind

    @staticmethod
    def resolve_id(result) -> str:
        return result.object_id

    @staticmethod
    def resolve_snippet(result) -> str:
        return str(result.snippet)

    @staticmethod
    def resolve_score(result) -> float:
        return round(result.score, 6)


class FacetValueOut(Schema):
    value: str = Field(description="The value to pass as the filter's parameter.")
    label: str
    count: int

    @staticmethod
    def resolve_label(value) -> str:
        return str(value.label)  # a lazy translation, in the answer's language


class SearchOut(Schema):
    query: str
    total: int
    limit: int
    offset: int
    error: str | None = Field(description="Why the query cannot be searched, else null.")
    related_only: bool = Field(
        description="No result has every word of the query: they are records related to it "
        "in meaning, not matches."
    )
    results: list[SearchResultOut]
    facets: dict[str, list[FacetValueOut]] = Field(
        description="Counts of the matching records by type, country, region, topic, "
        "sdg_target, year and language."
    )

    # Read from a presentation.Results.
    @staticmethod
    def resolve_query(results) -> str:
        return results.params.q

    @staticmethod
    def resolve_limit(results) -> int:
        return results.params.limit

    @staticmethod
    def resolve_offset(results) -> int:
        return results.params.offset

    @staticmethod
    def resolve_error(results) -> str | None:
        return str(results.error) if results.error else None

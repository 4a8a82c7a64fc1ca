"""Records and queries shared by the tests of the search page, the API and the commands."""

from civhub.search.tests.factories import practice

#: queries that must never break a page or the API
NASTY_QUERIES = {
    "empty": "",
    "long": "appraisal " * 1000,
    "punctuation": "?!.,;:-—()[]{}",
    "unbalanced quotes": '"appraisal of civil',
    "sql": "'; DROP TABLE x; --",
    "fts syntax": 'NEAR(a b) OR title:* AND "',
    "nul": "appraisal\x00commission",
}


def appraisal_records() -> dict:
    """Three published appraisal practices (two in Kazakhstan, one in Georgia), a draft
    about appraisal, and a published practice about something else."""
    return {
        "kz_ratings": practice(
            "Performance appraisal of civil servants",
            "Annual appraisal against key indicators, linked to pay.",
            countries=("KZ",),
            topics=("performance-appraisal",),
            year=2019,
        ),
        "kz_interviews": practice(
            "Appraisal interviews for managers",
            "Managers hold an appraisal interview with each employee every year.",
            countries=("KZ",),
            year=2020,
        ),
        "ge_commission": practice(
            "Appraisal appeals commission",
            "A commission hears appeals against appraisal ratings.",
            countries=("GE",),
            year=2019,
        ),
        "draft": practice("Appraisal by algorithm", "Not ready yet.", state="draft"),
        "other": practice("Open budget portal", "Spending published as open data.", year=2021),
    }

"""What a call publishes about itself once its results are out: submissions by country and
by category, the stage funnel, and the anonymized distribution of the scores per criterion.
Never an evaluator's name, never who applied unless the submission won."""

from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civhub.awards.choices import SCORED_STATES, AssignmentStatus, SubmissionState
from civhub.awards.models import Call, Criterion, Score, Submission
from civhub.core.types import StrOrPromise

S = SubmissionState
#: each stage of the funnel and the states a submission is in once it has passed that stage
FUNNEL = [
    (
        _("Submitted"),
        None,  # every submission with a submission time
    ),
    (
        _("Found eligible"),
        (S.ELIGIBLE, S.SCORING, *SCORED_STATES),
    ),
    (_("Scored"), SCORED_STATES),
    (_("Awarded or mentioned"), (S.AWARDED, S.HONOURABLE_MENTION, S.PUBLISHED, S.FOLLOW_UP)),
]


@dataclass
class Distribution:
    criterion: Criterion
    count: int
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float

    def percent(self, value: float) -> float:
        """Where `value` lies on the criterion's scale, 0-100 (for the drawing)."""
        low, high = self.criterion.scale_min, self.criterion.scale_max
        return round(100 * (value - low) / (high - low), 1)

    @property
    def box(self) -> dict:
        return {
            "min": self.percent(self.minimum),
            "q1": self.percent(self.q1),
            "median": self.percent(self.median),
            "q3": self.percent(self.q3),
            "max": self.percent(self.maximum),
            "q_width": round(self.percent(self.q3) - self.percent(self.q1), 1),
        }


@dataclass
class Transparency:
    total: int
    by_country: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    funnel: list[tuple[StrOrPromise, int]]
    distributions: list[Distribution]


def transparency(call: Call) -> Transparency | None:
    """The call's published figures, or None while its results are not out."""
    if not call.results_out():
        return None
    return figures(call)


def figures(call: Call) -> Transparency:
    """The figures whenever asked: the steering committee reads them in its report before
    the results are out; the public only through transparency()."""
    submitted = Submission.objects.filter(call=call, submitted_at__isnull=False)
    # Grouped by country with every language's name, in the one query, and named in the
    # reader's language with the usual fallback ("country__name" alone is the English column).
    active = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    order = [active, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES]
    columns = [f"country__name_{code}" for code, _name in settings.LANGUAGES]
    by_country = sorted(
        (
            (
                next((row[f"country__name_{c}"] for c in order if row[f"country__name_{c}"]), "")
                if row["country"]
                else str(_("Not given")),
                row["n"],
            )
            for row in submitted.values("country", *columns).annotate(n=Count("pk"))
        ),
        key=lambda item: (-item[1], item[0]),
    )
    categories = {c.pk: c.title for c in call.categories.all()}
    by_category = [
        (categories.get(row["category"], str(_("Not given"))), row["n"])
        for row in submitted.values("category").annotate(n=Count("pk")).order_by("-n", "category")
    ]
    funnel: list[tuple[StrOrPromise, int]] = []
    for label, states in FUNNEL:
        rows = submitted if states is None else submitted.filter(state__in=states)
        funnel.append((label, rows.count()))
    values: dict[int, list[int]] = {}
    for criterion_id, value in Score.objects.filter(
        assignment__submission__call=call, assignment__status=AssignmentStatus.COMPLETED
    ).values_list("criterion_id", "value"):
        values.setdefault(criterion_id, []).append(value)
    distributions = []
    for criterion in call.criteria.all():
        got = values.get(criterion.pk)
        if not got:
            continue
        q = np.percentile(np.array(got, dtype=float), [0, 25, 50, 75, 100])
        distributions.append(Distribution(criterion, len(got), *(round(float(x), 2) for x in q)))
    return Transparency(
        total=submitted.count(),
        by_country=by_country,
        by_category=by_category,
        funnel=funnel,
        distributions=distributions,
    )

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from civhub.core.models import DemoMarkedModel, TimeStampedModel


class Contribution(DemoMarkedModel, TimeStampedModel):
    """Money or in-kind support pledged to the hub by a donor for a period."""

    donor = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("donor"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    managed_by = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("managed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_contributions",
    )
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    source_note = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="contribution_period_ordered",
                violation_error_message=_("A contribution's period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="contribution_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor}: {self.amount:,.0f} {self.currency} ({self.period_start:%Y}–{self.period_end:%Y})"

from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from civhub.core.models import DemoMarkedModel, TimeStampedModel, VersionedModel
from civhub.core.types import Viewer
from civhub.knowledge.choices import PublicationState, TransferKind, TransferStage, TransferSubject
from civhub.knowledge.models.base import VersionedTextMixin


class KnowledgeTransferQuerySet(models.QuerySet["KnowledgeTransfer"]):
    def published(self) -> Self:
        return self.filter(state=PublicationState.PUBLISHED)

    def visible_to(self, user: Viewer) -> Self:
        if user.is_authenticated and user.is_editor:
            return self
        if user.is_authenticated and user.focal_country_ids:
            mine = Q(source_country__in=user.focal_country_ids) | Q(
                target_country__in=user.focal_country_ids
            )
            return self.filter(Q(state=PublicationState.PUBLISHED) | mine)
        return self.published()


class KnowledgeTransfer(VersionedTextMixin, DemoMarkedModel, VersionedModel, TimeStampedModel):
    """Who learned what from whom, how far it went, and with what result."""

    #: its subject and outcome are read in one language (VersionedTextMixin; no original
    #: language is recorded, so the fallback is the first language with a version)
    translation_key_field = "subject"
    body_fields = ("outcome",)

    source_country = models.ForeignKey(
        "directory.Country",
        verbose_name=_("from country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_shared",
    )
    source_organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("from organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_shared",
    )
    target_country = models.ForeignKey(
        "directory.Country",
        verbose_name=_("to country"),
        on_delete=models.PROTECT,
        related_name="transfers_received",
    )
    target_organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("to organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_received",
    )
    subject_kind = models.CharField(
        _("what was transferred"), max_length=20, choices=TransferSubject.choices
    )
    practice = models.ForeignKey(
        "knowledge.Practice",
        verbose_name=_("practice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfers",
    )
    legal_act = models.ForeignKey(
        "knowledge.LegalAct",
        verbose_name=_("law or by-law"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfers",
    )
    institution = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("institution whose model was studied"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="model_transfers",
    )
    subject = models.CharField(
        _("subject"), max_length=300, help_text=_("In a few words: what was learned.")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=TransferKind.choices)
    stage = models.CharField(
        _("stage"), max_length=20, choices=TransferStage.choices, default=TransferStage.EXPLORING
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    evidence_urls = models.JSONField(_("evidence links"), default=list, blank=True)
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    state = models.CharField(
        _("publication"),
        max_length=20,
        choices=PublicationState.choices,
        default=PublicationState.PUBLISHED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # modeltranslation swaps the manager class at run time; the explicit from_queryset call
    # (what as_manager() does) is one the django-stubs plugin can read.
    objects = models.Manager.from_queryset(KnowledgeTransferQuerySet)()

    class Meta:
        verbose_name = _("knowledge transfer")
        verbose_name_plural = _("knowledge transfers")
        ordering = ["-started_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_country__isnull=False) | Q(source_organization__isnull=False),
                name="transfer_has_a_source",
                violation_error_message=_(
                    "Say whom the knowledge came from: a country or an organization."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="transfer_ends_after_it_starts",
                violation_error_message=_("A transfer cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(source_country__isnull=True) | ~Q(source_country=F("target_country")),
                name="transfer_between_two_countries",
                violation_error_message=_("A country does not transfer knowledge to itself."),
            ),
        ]

    def __str__(self) -> str:
        source = self.source_country or self.source_organization
        return f"{source} → {self.target_country}: {self.shown_text('subject')}"

    def clean(self) -> None:
        super().clean()
        if not (self.source_country_id or self.source_organization_id):
            raise ValidationError(
                {
                    "source_country": _(
                        "Say whom the knowledge came from: a country or an organization."
                    )
                }
            )
        if self.source_country_id and self.source_country_id == self.target_country_id:
            raise ValidationError(
                {"target_country": _("A country does not transfer knowledge to itself.")}
            )
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("A transfer cannot end before it starts.")})
        by_kind: dict[str, tuple[str, int | None]] = {
            TransferSubject.PRACTICE: ("practice", self.practice_id),
            TransferSubject.LEGAL_ACT: ("legal_act", self.legal_act_id),
            TransferSubject.INSTITUTION: ("institution", self.institution_id),
        }
        linked = by_kind.get(self.subject_kind)
        if linked and not linked[1]:
            raise ValidationError({linked[0]: _("Link the record that was transferred.")})

    @property
    def source_label(self) -> str:
        return str(self.source_country or self.source_organization)

    def can_view(self, user: Viewer) -> bool:
        """Drafts (and their attached files) only for who may see them on the page."""
        return KnowledgeTransfer.objects.visible_to(user).filter(pk=self.pk).exists()

    def can_edit(self, user: Viewer) -> bool:
        if not user.is_authenticated:
            return False
        return user.is_editor or bool(
            user.focal_country_ids & {self.source_country_id, self.target_country_id}
        )

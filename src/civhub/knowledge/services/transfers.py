"""Changes to knowledge transfers, and the network of countries they draw.

`save_transfer` is the one way a transfer is created or changed: permission-checked on the
record as stored and as it would be saved, validated (evidence links one by one, then the
model's own rules), atomic and audited.

The network
-----------
`network(user)` draws an edge from the country that shared knowledge to the country that
learned it. Only transfers the user may see count (`visible_to`: published ones, plus drafts
of a focal point's own country and, for editors, every draft).

* A transfer whose source is a country counts for that country.
* A transfer whose source is only an organization counts for the organization's country when
  it has one (a national academy, an agency).
* A transfer from an international organization (no country), or from an organization of the
  target country itself, has no edge: it is listed in the table beside the drawing (and in
  `Network.unplaced`) but drawn nowhere, because the drawing is a network of countries.

An edge aggregates every transfer between the same two countries in that direction: how many,
which kinds (in the order of `TransferKind`), and the furthest stage reached (in the order of
`TransferStage`: exploring < adapting < implemented < evaluated).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civhub.core.services import audit, editable_fields, save_changes
from civhub.core.types import Viewer
from civhub.knowledge.choices import TransferKind, TransferStage, TransferSubject
from civhub.knowledge.models import KnowledgeTransfer

if TYPE_CHECKING:
    from civhub.directory.models import Country
    from civhub.knowledge.models.transfers import KnowledgeTransferQuerySet


RELATED = (
    "source_country",
    "source_organization__country",
    "target_country",
    "target_organization",
    "practice",
    "legal_act__country",
    "institution",
)
STAGE_ORDER = [value for value, _label in TransferStage.choices]
KIND_ORDER = [value for value, _label in TransferKind.choices]
# Which link each kind of subject uses; the others are cleared when the record is saved.
SUBJECT_LINKS = {
    TransferSubject.PRACTICE: "practice",
    TransferSubject.LEGAL_ACT: "legal_act",
    TransferSubject.INSTITUTION: "institution",
}


def can_record_transfers(user: Viewer) -> bool:
    """Editors record any transfer; focal points those their country shared or learned."""
    return bool(user.is_authenticated and (user.is_editor or user.focal_country_ids))


def clean_evidence_urls(urls: object) -> list[str]:
    """The evidence links, stripped, blank lines dropped; an error names the line."""
    if urls in (None, ""):
        return []
    if not isinstance(urls, list | tuple):
        raise ValidationError({"evidence_urls": _("Give the evidence links as a list.")})
    validate = URLValidator(schemes=["http", "https"])
    cleaned, errors = [], []
    for number, url in enumerate(urls, start=1):
        url = str(url).strip()
        if not url:
            continue
        try:
            validate(url)
        except ValidationError:
            errors.append(
                _("Line %(line)s: “%(url)s” is not a web address (http:// or https://).")
                % {"line": number, "url": url[:200]}
            )
        cleaned.append(url)
    if errors:
        raise ValidationError({"evidence_urls": errors})
    return cleaned


@transaction.atomic
def save_transfer(
    actor: Viewer,
    record: KnowledgeTransfer,
    *,
    changed: Iterable[str] | None = None,
    version: int | None = None,
) -> KnowledgeTransfer:
    """Create or update a transfer.

    An update locks the stored row and saves only the fields in `changed` (a form's
    `changed_data`: what differs from the record as the editor read it; None: every field),
    so a parallel edit of other fields, or a change of its stage or publication state, is
    never undone. With `version` (the version the editor read), an edit of a record that
    changed meanwhile is refused with Conflict."""
    if not can_record_transfers(actor):
        raise PermissionDenied(_("Only editors and focal points may record knowledge transfers."))
    creating = record.pk is None
    if not creating:
        locked = KnowledgeTransfer.objects.select_for_update().get(pk=record.pk)
        if not locked.can_edit(actor):
            raise PermissionDenied(_("You may not edit this transfer."))
    if not record.can_edit(actor):
        raise PermissionDenied(
            _("A focal point records transfers that its own country shared or learned.")
        )
    for kind, link in SUBJECT_LINKS.items():
        if record.subject_kind != kind:
            setattr(record, f"{link}_id", None)
    record.evidence_urls = clean_evidence_urls(record.evidence_urls)
    record.full_clean()
    if creating:
        record.created_by = actor
        record.save()
        saved = []
    else:
        fields = editable_fields(KnowledgeTransfer) if changed is None else list(changed)
        if "subject_kind" in fields:
            fields += [link for link in SUBJECT_LINKS.values() if link not in fields]
        saved = save_changes(locked, record, fields, version=version)
        if not locked.can_edit(actor):  # merged with a parallel change of its countries
            raise PermissionDenied(
                _("A focal point records transfers that its own country shared or learned.")
            )
        record = locked
        if not saved:
            return record
    audit(
        actor,
        "transfer.created" if creating else "transfer.updated",
        record,
        summary=str(record),
        kind=record.kind,
        stage=record.stage,
        **({} if creating else {"fields": sorted(saved)}),
    )
    return record


def visible_transfers(user: Viewer) -> KnowledgeTransferQuerySet:
    return KnowledgeTransfer.objects.visible_to(user).select_related(*RELATED)


def _newest_first(queryset: KnowledgeTransferQuerySet) -> KnowledgeTransferQuerySet:
    return queryset.order_by(
        F("started_on").desc(nulls_last=True), F("created_at").desc(), F("pk").desc()
    )


def transfers_for_country(
    country: Country, user: Viewer
) -> tuple[list[KnowledgeTransfer], list[KnowledgeTransfer]]:
    """(learned_from, shared_with): the transfers the country learned and the ones it shared
    (itself or through one of its organizations), as far as `user` may see them."""
    visible = visible_transfers(user)
    learned_from = _newest_first(visible.filter(target_country=country))
    shared_with = _newest_first(
        visible.filter(
            Q(source_country=country)
            | Q(source_country__isnull=True, source_organization__country=country)
        )
    )
    return list(learned_from), list(shared_with)


def source_country_of(record: KnowledgeTransfer) -> Country | None:
    """The country a transfer counts for in the network, or None (see the module docstring)."""
    if record.source_country_id:
        return record.source_country
    organization = record.source_organization if record.source_organization_id else None
    if organization is not None and organization.country_id:
        return organization.country
    return None


@dataclass
class NetworkNode:
    country: Country
    shared: int = 0
    learned: int = 0

    @property
    def key(self) -> str:
        return self.country.code

    @property
    def label(self) -> str:
        return str(self.country.name)

    @property
    def total(self) -> int:
        return self.shared + self.learned

    @property
    def title(self) -> str:
        return _("%(country)s: shared %(shared)s, learned %(learned)s") % {
            "country": self.label,
            "shared": self.shared,
            "learned": self.learned,
        }


@dataclass
class NetworkEdge:
    source: Country
    target: Country
    count: int = 0
    kinds: list[str] = field(default_factory=list)
    stage: str = ""
    transfers: list[KnowledgeTransfer] = field(default_factory=list)

    @property
    def source_key(self) -> str:
        return self.source.code

    @property
    def target_key(self) -> str:
        return self.target.code

    @property
    def kind_labels(self) -> list[str]:
        return [str(TransferKind(kind).label) for kind in self.kinds]

    @property
    def stage_label(self) -> str:
        return str(TransferStage(self.stage).label) if self.stage else ""

    @property
    def title(self) -> str:
        count = ngettext("%(count)s transfer", "%(count)s transfers", self.count) % {
            "count": self.count
        }
        return _("%(source)s to %(target)s: %(count)s (%(kinds)s); furthest stage: %(stage)s") % {
            "source": self.source.name,
            "target": self.target.name,
            "count": count,
            "kinds": ", ".join(self.kind_labels),
            "stage": self.stage_label,
        }


@dataclass
class Network:
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    transfers: list[KnowledgeTransfer]  # every visible transfer, for the table
    unplaced: list[KnowledgeTransfer]  # transfers with no edge (see the module docstring)


def network(user: Viewer, queryset: KnowledgeTransferQuerySet | None = None) -> Network:
    """The countries and the edges between them, from the transfers `user` may see (narrowed
    by `queryset`, e.g. a filter's result, when given)."""
    base = KnowledgeTransfer.objects.all() if queryset is None else queryset
    transfers = list(_newest_first(base.visible_to(user).select_related(*RELATED)))
    edges: dict[tuple[int, int], NetworkEdge] = {}
    nodes: dict[int, NetworkNode] = {}
    unplaced = []
    for record in transfers:
        source = source_country_of(record)
        target = record.target_country
        if source is None or source.pk == target.pk:
            unplaced.append(record)
            continue
        edge = edges.get((source.pk, target.pk))
        if edge is None:
            edge = edges[(source.pk, target.pk)] = NetworkEdge(source=source, target=target)
        edge.count += 1
        edge.transfers.append(record)
        if record.kind not in edge.kinds:
            edge.kinds = sorted([*edge.kinds, record.kind], key=KIND_ORDER.index)
        if not edge.stage or STAGE_ORDER.index(record.stage) > STAGE_ORDER.index(edge.stage):
            edge.stage = record.stage
        nodes.setdefault(source.pk, NetworkNode(country=source)).shared += 1
        nodes.setdefault(target.pk, NetworkNode(country=target)).learned += 1

    def by_name(country: Country) -> tuple[str, str]:
        return (str(country.name).casefold(), country.code)

    return Network(
        nodes=sorted(nodes.values(), key=lambda node: by_name(node.country)),
        edges=sorted(edges.values(), key=lambda e: (by_name(e.source), by_name(e.target))),
        transfers=transfers,
        unplaced=unplaced,
    )

"""The network of knowledge transfers: edges and counts from the seed's transfers, the SVG
drawing (well-formed, escaped, deterministic, CSP-safe), the page with its table, and a
query-count guard."""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from civhub.directory.models import Country, Organization
from civhub.knowledge import demo_legal
from civhub.knowledge.choices import PublicationState, TransferKind, TransferStage
from civhub.knowledge.models import KnowledgeTransfer
from civhub.knowledge.network import edge_width, render_svg
from civhub.knowledge.services.transfers import network

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
SEED_EDGES = {
    ("GE", "AZ"),
    ("GE", "BY"),
    ("GE", "KG"),
    ("KZ", "AZ"),
    ("KZ", "BY"),
    ("KZ", "KG"),
    ("KZ", "MK"),
}


@pytest.fixture
def legal_demo(demo_data):
    demo_legal.load(log=lambda *args: None)


def add(source, target, *, kind=TransferKind.STUDY, stage=TransferStage.EXPLORING, **fields):
    return KnowledgeTransfer.objects.create(
        source_country=Country.objects.get(code=source) if source else None,
        target_country=Country.objects.get(code=target),
        subject_kind="other",
        subject_en=fields.pop("subject_en", "Something learned"),
        kind=kind,
        stage=stage,
        **fields,
    )


# --- the service -----------------------------------------------------------------------------


def test_the_seed_transfers_make_seven_edges_between_six_countries(legal_demo):
    graph = network(AnonymousUser())
    assert {(e.source.code, e.target.code) for e in graph.edges} == SEED_EDGES
    assert all(e.count == 1 for e in graph.edges)
    nodes = {n.country.code: (n.shared, n.learned) for n in graph.nodes}
    assert nodes == {
        "GE": (3, 0),
        "KZ": (4, 0),
        "AZ": (0, 2),
        "BY": (0, 2),
        "KG": (0, 2),
        "MK": (0, 1),
    }
    mk = next(e for e in graph.edges if e.target.code == "MK")
    assert (mk.kinds, mk.stage) == ([TransferKind.STUDY], TransferStage.EXPLORING)
    legislation = [e for e in graph.edges if e.target.code != "MK"]
    assert {tuple(e.kinds) for e in legislation} == {(TransferKind.LEGISLATIVE_REFERENCE,)}
    assert len(graph.transfers) == 7 and graph.unplaced == []
    # Nodes in the order of their names in the reader's language.
    assert [n.label for n in graph.nodes] == sorted(n.label for n in graph.nodes)


def test_an_edge_aggregates_count_kinds_and_the_furthest_stage(db):
    add("KZ", "KG", kind=TransferKind.ADAPTATION, stage=TransferStage.IMPLEMENTED)
    add("KZ", "KG", kind=TransferKind.STUDY, stage=TransferStage.EXPLORING)
    add("KZ", "KG", kind=TransferKind.STUDY, stage=TransferStage.ADAPTING)
    add("KG", "KZ", kind=TransferKind.REPLICATION, stage=TransferStage.EVALUATED)
    edges = {(e.source.code, e.target.code): e for e in network(AnonymousUser()).edges}
    forward = edges[("KZ", "KG")]
    assert forward.count == 3
    assert forward.kinds == [TransferKind.STUDY, TransferKind.ADAPTATION]
    assert forward.stage == TransferStage.IMPLEMENTED
    assert edges[("KG", "KZ")].stage == TransferStage.EVALUATED


def test_organizations_count_for_their_country_or_stay_in_the_table(db):
    kz = Country.objects.get(code="KZ")
    academy = Organization.objects.create(name_en="Academy", kind="academy", country=kz)
    undp = Organization.objects.create(name_en="UNDP", kind="international")
    national = add(None, "AM", source_organization=academy)
    international = add(None, "AM", source_organization=undp, subject_en="Open data")
    own_country = add(None, "KZ", source_organization=academy, subject_en="Internal")
    graph = network(AnonymousUser())
    assert [(e.source.code, e.target.code) for e in graph.edges] == [("KZ", "AM")]
    assert graph.edges[0].transfers == [national]
    assert {t.pk for t in graph.unplaced} == {international.pk, own_country.pk}
    assert len(graph.transfers) == 3


def test_only_visible_transfers_count(db, editor):
    add("KZ", "KG")
    add("GE", "AM", state=PublicationState.DRAFT)
    assert len(network(AnonymousUser()).edges) == 1
    assert len(network(editor.user).edges) == 2


# --- the drawing -----------------------------------------------------------------------------


@dataclass
class N:
    key: str
    label: str
    total: int = 1

    @property
    def title(self):
        return f"{self.label}: {self.total}"


@dataclass
class E:
    source_key: str
    target_key: str
    count: int = 1
    title: str = "edge"


def draw(nodes, edges, **kwargs):
    return render_svg(nodes, edges, title="The network", description="What it shows", **kwargs)


def test_the_svg_is_well_formed_and_labelled():
    nodes = [N("KZ", "Kazakhstan", 4), N("GE", "Georgia", 3), N("AZ", "Azerbaijan", 2)]
    edges = [E("KZ", "AZ", 1, "Kazakhstan to Azerbaijan"), E("GE", "AZ", 3)]
    svg = draw(nodes, edges)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    labelled_by = root.get("aria-labelledby")
    title = root.find(f"{SVG}title")
    assert title is not None and title.get("id") == labelled_by and title.text == "The network"
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.get("id") == root.get("aria-describedby")
    assert root.find(f".//{SVG}marker") is not None
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Azerbaijan", "Georgia", "Kazakhstan"]  # deterministic, by name
    assert all(int(t.get("font-size")) >= 16 for t in root.iter(f"{SVG}text"))
    paths = [p for p in root.iter(f"{SVG}path") if p.get("class") == "network-edge"]
    assert len(paths) == 2
    assert all(p.get("marker-end", "").startswith("url(#") for p in paths)
    widths = sorted(float(p.get("stroke-width")) for p in paths)
    assert widths == [edge_width(1), edge_width(3)] and widths[0] < widths[1]
    assert len(list(root.iter(f"{SVG}circle"))) == 3


def test_the_svg_obeys_the_content_security_policy():
    svg = draw([N("A", "A"), N("B", "B")], [E("A", "B")])
    root = ET.fromstring(svg)
    for element in root.iter():
        assert "style" not in element.attrib, element.tag
        assert element.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")
        assert not any(name.startswith("on") for name in element.attrib)


def test_the_svg_escapes_every_text():
    evil = '<script>alert("x")</script> & Co'
    svg = draw(
        [N("X", evil), N("Y", "Côte d'Ivoire")],
        [E("X", "Y", 2, evil)],
        id_prefix='n"><script>',
    )
    assert "<script>" not in svg
    root = ET.fromstring(svg)  # still well-formed
    assert evil in [t.text for t in root.iter(f"{SVG}text")]
    assert "Côte d'Ivoire" in [t.text for t in root.iter(f"{SVG}text")]


def test_the_svg_is_deterministic():
    nodes = [N("KZ", "Kazakhstan"), N("GE", "Georgia"), N("MK", "North Macedonia")]
    edges = [E("KZ", "MK"), E("GE", "KZ", 2)]
    first = draw(nodes, edges)
    assert draw(list(reversed(nodes)), list(reversed(edges))) == first
    assert draw(nodes, edges) == first


def test_a_single_node_and_an_edge_to_an_unknown_node():
    svg = draw([N("KZ", "Kazakhstan")], [E("KZ", "XX")])
    root = ET.fromstring(svg)
    assert len(list(root.iter(f"{SVG}circle"))) == 1
    assert not [p for p in root.iter(f"{SVG}path") if p.get("class") == "network-edge"]


def test_country_names_are_in_the_readers_language(legal_demo):
    with translation.override("ru"):
        graph = network(AnonymousUser())
        svg = draw(graph.nodes, graph.edges)
    labels = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "Казахстан" in labels and "Грузия" in labels
    assert labels == sorted(labels, key=str.casefold)


# --- the page --------------------------------------------------------------------------------


def _svg_of(html: str) -> ET.Element:
    match = re.search(r"<svg .*?</svg>", html, re.S)
    assert match, "no SVG on the page"
    return ET.fromstring(match.group(0))


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_network_page_draws_and_tables_every_edge(visitor, legal_demo, language):
    response = visitor.get(f"/{language}/transfers/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "style=" not in html and "<script" not in html
    root = _svg_of(html)
    edges = [p for p in root.iter(f"{SVG}path") if p.get("class") == "network-edge"]
    assert len(edges) == len(SEED_EDGES)

    table = re.search(r'<table class="network-table">.*?</table>', html, re.S).group(0)
    assert "<caption" in table and 'scope="col"' in table and 'scope="row"' in table
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    assert len(rows) == len(response.context["network"].transfers) == 7
    for edge in response.context["network"].edges:
        assert any(
            edge.source.name in row.split("</td>")[0] and edge.target.name in row.split("</td>")[1]
            for row in rows
        ), f"no row for {edge.source} -> {edge.target}"


def test_the_network_page_filters(visitor, legal_demo):
    response = visitor.get("/en/transfers/?country=MK")
    graph = response.context["network"]
    assert [(e.source.code, e.target.code) for e in graph.edges] == [("KZ", "MK")]
    response = visitor.get("/en/transfers/?kind=legislative_reference&country=GE")
    assert {(e.source.code, e.target.code) for e in response.context["network"].edges} == {
        ("GE", "AZ"),
        ("GE", "BY"),
        ("GE", "KG"),
    }
    empty = visitor.get("/en/transfers/?stage=evaluated")
    assert b"<svg" not in empty.content and b'class="empty"' in empty.content


def test_drafts_stay_off_the_public_network(visitor, editor, legal_demo):
    add("AM", "MN", subject_en="A draft exchange", state=PublicationState.DRAFT)
    assert "A draft exchange" not in visitor.get("/en/transfers/").content.decode()
    assert "A draft exchange" in editor.get("/en/transfers/").content.decode()


def test_the_network_page_has_a_bounded_number_of_queries(
    visitor, editor, legal_demo, django_assert_max_num_queries
):
    for code in ("AM", "MN", "TJ", "UZ", "TR", "MD", "UA", "RO"):
        for source in ("KZ", "GE"):
            add(source, code)
    with django_assert_max_num_queries(6):
        assert visitor.get("/en/transfers/").status_code == 200
    with django_assert_max_num_queries(12):
        assert editor.get("/en/transfers/?country=KZ").status_code == 200
    with django_assert_max_num_queries(12):
        assert visitor.get("/en/countries/kz/").status_code == 200

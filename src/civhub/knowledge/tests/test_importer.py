"""The parser of the UN good-practice text, and the JSON and CSV readers (no database)."""

from pathlib import Path

import pytest

from civhub.knowledge import importers
from civhub.knowledge.importers import ParseError, parse_un_text, read

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed_regional_hub.txt"


def parse(name: str, fmt: str = "un-text") -> list[dict]:
    return read((DATA / name).read_bytes(), fmt, name).records


def parse_text(text: str, name: str = "variant.txt") -> list[dict]:
    return parse_un_text(text, name).records


SEED_CHALLENGE = (
    "Recent development trends show that in order for civil service to contribute to the "
    "achievement of national development objectives, new skills, responsibilities and "
    "systems are needed that transform it into a civil service that promotes the public- "
    "interest functions effectively and fairly in the exercise of public authority, delivers "
    "public services efficiently and gains the public’s confidence. After gaining "
    "independence, many countries in the Commonwealth of Independent States region embarked "
    "on institutional and civil service reforms. There was a growing recognition in the "
    "region that learning from neighbouring countries was an important channel, given the "
    "many development similarities, including challenges to be faced. However, the region’s "
    "existing models of civil service vary significantly, especially on issues relating to "
    "legislative regulations of civil service management, the mechanisms for the selection "
    "and career development of civil servants, and the presence of authorized bodies. The "
    "region’s experience in the last decade has shown that successful reform of the civil "
    "service requires not only specific national legislation and public debate but also "
    "strong capacity development to implement reforms, extensive knowledge management, and "
    "experience exchange with countries in similar situations through the creation of hubs "
    "of excellence."
)

SEED_SOLUTION = (
    "Between 2013 and 2017, the Government of Kazakhstan is collaborating with UNDP on the "
    "Southern-led centre of excellence known as the Regional Hub of Civil Service in Astana. "
    "The Hub was established to (a) serve as a multilateral institutional platform for "
    "continuous exchange of experience and knowledge in the field of civil service "
    "development; (b) stimulate civil service transformations through capacity development; "
    "and (c) produce innovative approaches through evidence-based solutions informed by a "
    "comprehensive research and policy agenda. Hub membership has grown from an initial 25 "
    "participating countries to 34. Its expanding geographical range from the Europe and the "
    "Commonwealth of Independent States region, the Caucasus and Central Asia region and the "
    "North America region to the countries of the Association of Southeast Asian Nations "
    "shows that civil service reform is a constant and universal need. Since its inception "
    "in March 2013, the Hub has championed the exchange of civil service experience through "
    "joint initiatives, peer learning, capacity development events, research and knowledge "
    "products across its participating countries. It has also promoted regional as well as "
    "interregional cooperation on civil service system reforms. The Hub has provided "
    "participating countries with a platform for seeking common solutions and sharing their "
    "own practices and ideas. It also has strengthened ties among the national civil service "
    "agencies at the institutional level. For example, the Ministry of Information Society "
    "and Administration of the former Yugoslav Republic of Macedonia is studying the model "
    "of the Academy of Public Administration of Kazakhstan as part of a process to establish "
    "its own public administration academy. Similarly, the civil service commissions of "
    "Azerbaijan, Belarus and Kyrgyzstan have drawn inferences from laws and by- laws of "
    "Georgia and Kazakhstan on civil service when drafting their own legislation. The Hub "
    "also invests in innovative approaches. For example, with substantial support from UNDP, "
    "the Hub launched the Innovative Solutions Scheme aimed at supporting initiatives for "
    "the modernization of public administration and encouraging innovation and creativity in "
    "public institutions. The purpose of the scheme is to recognize effective innovative "
    "solutions in civil service and encourage more effective civil service systems and more "
    "efficient public service delivery. The scheme helps to improve countries’ competitive "
    "advantage and create a knowledge management framework, which will help governments to "
    "establish networks, increase awareness and information-sharing, develop learning tools, "
    "promote capacity-building and foster policy development. It functions as a multistage "
    "mechanism that enables the identification of successful innovative solutions in public "
    "administration. In order to ensure the sustainability of such an initiative, the "
    "following conditions must be met: effective communication with all national and "
    "international stakeholders; a sustained demand-driven agenda; facilitation of dialogue "
    "without politicization; an effective resource mobilization strategy; innovative "
    "capacity development and research modules; and a sustained sense of ownership and "
    "involvement of the participating countries. In this regard, the Steering Committee and "
    "the Advisory Board, which include representatives and experts from different regions, "
    "play an important role. In 2014, the Government of Kazakhstan signed an agreement with "
    "UNDP to provide institutional and financial support to the Hub, with Kazakhstan "
    "allocating $14 million until 2017. The Hub enjoys close and fruitful cooperation with "
    "the UNDP Global Centre for Public Service Excellence, the Organization for Economic "
    "Cooperation and Development, the UNDP Istanbul Regional Hub, the United Nations Public "
    "Administration Network and the American and Asian Societies for Public Administration, "
    "to name a few."
)


SEED_RECORD = {
    "title": "Regional Hub of Civil Service in Astana",
    "date": "2019-03-17",
    "challenge": SEED_CHALLENGE,
    "solution": SEED_SOLUTION,
    "sdg_targets": ["16.a", "16.5", "16.6", "16.7", "16.9", "17.9", "17.16", "17.17"],
    "countries": ["Kazakhstan-led centre of excellence with 32 participating countries"],
    "supported_by": ["Government of Kazakhstan", "UNDP"],
    "implementing_entity": ["UNDP"],
    "status": "ongoing",
    "period_start": 2014,
    "period_end": 2017,
    "url": "http://www.regionalhub.org/",
    "contacts": [
        {
            "name": "Mr. Yernar Zharkeshov",
            "position": "Portfolio Manager/Team Leader of the Regional Hub of Civil Service "
            "in Astana",
            "email": "yernar.zharkeshov@undp.org",
        },
        {
            "name": "Mr. Murat Narkulov",
            "position": "Programme Associate, Governance and Local Development Unit, "
            "UNDP country office in Kazakhstan",
            "email": "murat.narkulov@undp.org",
        },
    ],
    "source_file": "seed_regional_hub.txt",
}


def record(**values) -> dict:
    return importers.empty_record(**values)


# --- The seed ------------------------------------------------------------------------------


def test_the_seed_gives_exactly_its_fields():
    parsed = read(SEED.read_bytes(), "un-text", str(SEED))
    assert parsed.records == [SEED_RECORD]
    assert parsed.lines == [1]
    assert list(parsed.records[0]) == list(importers.KEYS)


def test_the_seed_prose_is_the_text_between_the_headings_unchanged():
    """An independent check of the two long literals above: the seed's fourth line holds
    "Challenge <prose> Towards a Solution <prose> Sustainable Development Goal targets: ..."."""
    line = SEED.read_text(encoding="utf-8").split("\n")[3]
    challenge, rest = line.removeprefix("Challenge ").split(" Towards a Solution ", 1)
    solution = rest.split(" Sustainable Development Goal targets:", 1)[0]
    assert (challenge, solution) == (SEED_CHALLENGE, SEED_SOLUTION)
    # hyphenation artefacts stay as written
    assert "public- interest" in SEED_CHALLENGE
    assert "by- laws" in SEED_SOLUTION


# --- Variants of the series ----------------------------------------------------------------


def test_headings_on_their_own_lines_keep_paragraphs():
    assert parse("headings_alone.txt") == [
        record(
            title="Performance Appraisal Reform in the Civil Service of Georgia",
            date="2018-06-05",
            challenge=(
                "Civil servants in Georgia were appraised with a different method in each "
                "agency, so results could not be compared across the service.\n\n"
                "Appraisals rarely led to training or promotion decisions."
            ),
            solution=(
                "The Civil Service Bureau drafted a single appraisal framework in 2016, tested "
                "it in five ministries and rolled it out to all central agencies in 2017."
            ),
            sdg_targets=["16.6", "16.7"],
            countries=["Georgia", "Kazakhstan", "Kyrgyzstan"],
            supported_by=["UNDP"],
            implementing_entity=["Civil Service Bureau of Georgia"],
            status="completed",
            period_start=2016,
            period_end=2017,
            url="https://www.example.org/appraisal",
            contacts=[
                {
                    "name": "Ms. Nino Example",
                    "position": "Head of Division, Civil Service Bureau",
                    "email": "nino@example.org",
                },
                {"name": "Mr. Giorgi Sample", "position": "Policy Adviser", "email": None},
            ],
            source_file="headings_alone.txt",
        )
    ]


def test_headings_run_into_prose_fields_reordered_and_wrapped():
    assert parse("run_in_reordered_wrapped.txt") == [
        record(
            title="E-Recruitment Portal for Central Asia",
            date="2020-10-17",
            challenge="Paper-based recruitment was slow and opaque.",
            solution=(
                "A shared e-recruitment portal now publishes every vacancy and scores written "
                "tests automatically."
            ),
            sdg_targets=["16.a", "16.5"],
            countries=["Kazakhstan", "Tajikistan"],
            supported_by=["Government of Kazakhstan", "UNDP"],
            implementing_entity=["Agency for Civil Service Affairs"],
            status="ongoing",
            period_start=2019,
            period_end=2021,
            url="https://www.example.org/e-recruitment/portal",
            contacts=[
                {
                    "name": "Mr. Aidos Example",
                    "position": "Programme Officer, Agency for Civil Service Affairs",
                    "email": "aidos@example.org",
                }
            ],
            source_file="run_in_reordered_wrapped.txt",
        )
    ]


def test_missing_trailing_fields_and_date_are_null():
    assert parse("missing_fields.txt") == [
        record(
            title="Mentoring Scheme for Newly Appointed Civil Servants",
            challenge="Many new civil servants left within their first year.",
            solution="Each newcomer is paired with an experienced mentor for six months.",
            countries=["Azerbaijan"],
            status="planned",
            source_file="missing_fields.txt",
        )
    ]


def test_several_records_in_one_file():
    parsed = read((DATA / "several_records.txt").read_bytes(), "un-text", "several_records.txt")
    assert [r["title"] for r in parsed.records] == [
        "One-Stop Shop for Public Services",
        "Civil Service Academy Exchange",
        "Open Data on Civil Service Vacancies",
    ]
    assert parsed.lines == [1, 5, 12]
    first, second, third = parsed.records
    # the title after a contact bullet starts a record; it does not continue the contact
    assert first["contacts"] == [
        {"name": "Ms. Aigerim Example", "position": "Officer", "email": "aigerim@example.org"}
    ]
    assert first["status"] == "completed"
    assert second["url"] == "http://academies.example.org/"
    assert (second["date"], third["date"]) == ("2019-04-02", None)
    assert third["sdg_targets"] == ["16.10"]


def test_records_separated_by_a_line_of_dashes():
    text = (
        "First\nChallenge\nA.\nTowards a Solution\nB.\n-----\n"
        "Second\nChallenge\nC.\nTowards a Solution\nD.\n"
    )
    assert [(r["title"], r["solution"]) for r in parse_text(text)] == [
        ("First", "B."),
        ("Second", "D."),
    ]


def test_a_title_wrapped_over_two_lines():
    text = "A Long Title That The PDF\nWrapped Over Two Lines\nMay 1, 2019\nChallenge A. Towards a Solution B."
    (only,) = parse_text(text)
    assert only["title"] == "A Long Title That The PDF Wrapped Over Two Lines"
    assert only["date"] == "2019-05-01"


def test_a_title_that_starts_with_the_word_challenge():
    text = "Challenge Fund for Innovation\nMay 1, 2019\nChallenge A. Towards a Solution B."
    (only,) = parse_text(text)
    assert (only["title"], only["challenge"]) == ("Challenge Fund for Innovation", "A.")


def test_a_prose_mention_of_a_label_does_not_end_the_prose():
    text = (
        "T\nMarch 1, 2019\nChallenge A.\nTowards a Solution Each point of Contact: a desk "
        "officer answers within a day.\nProject status: Ongoing\n"
    )
    (only,) = parse_text(text)
    assert only["solution"] == "Each point of Contact: a desk officer answers within a day."
    assert only["contacts"] is None
    assert only["status"] == "ongoing"


@pytest.mark.parametrize(
    ("contacts", "expected"),
    [
        (
            "Contact:\n• Mr. A B, Director, a@example.org;\n• Ms. C D, Adviser",
            [
                {"name": "Mr. A B", "position": "Director", "email": "a@example.org"},
                {"name": "Ms. C D", "position": "Adviser", "email": None},
            ],
        ),
        (  # a bullet wrapped over two lines
            "Contact:\n  • Mr. A B, Programme Associate, Governance and Local\n"
            "    Development Unit, a@example.org",
            [
                {
                    "name": "Mr. A B",
                    "position": "Programme Associate, Governance and Local Development Unit",
                    "email": "a@example.org",
                }
            ],
        ),
        (  # dashes as bullets, an e-mail with a label, a contact with an e-mail only
            "Contacts:\n- Dr. E F, Head, E-mail: e@example.org\n- info@example.org",
            [
                {"name": "Dr. E F", "position": "Head", "email": "e@example.org"},
                {"name": None, "position": None, "email": "info@example.org"},
            ],
        ),
        (  # no bullets: contacts separated by semicolons, run into the line
            "Contact: Mr. G, Officer, g@example.org; Ms. H, h@example.org",
            [
                {"name": "Mr. G", "position": "Officer", "email": "g@example.org"},
                {"name": "Ms. H", "position": None, "email": "h@example.org"},
            ],
        ),
        ("Contact: Mr. Name Only", [{"name": "Mr. Name Only", "position": None, "email": None}]),
        ("Contact: N/A", None),
    ],
)
def test_contacts(contacts, expected):
    text = f"T\nMarch 1, 2019\nChallenge A. Towards a Solution B.\n{contacts}\n"
    assert parse_text(text)[0]["contacts"] == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("16.a, 16.5", ["16.a", "16.5"]),
        ("16.a,16.5;17.17", ["16.a", "16.5", "17.17"]),
        ("16.5 and 16.A.", ["16.5", "16.a"]),
        ("SDG 16.6, SDG 16.6", ["16.6"]),
        ("16.10", ["16.10"]),
    ],
)
def test_sdg_targets(value, expected):
    text = f"T\nMarch 1, 2019\nChallenge A. Towards a Solution B.\nSustainable Development Goal targets: {value}\n"
    assert parse_text(text)[0]["sdg_targets"] == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Ongoing", "ongoing"),
        ("On-going (second phase)", "ongoing"),
        ("Completed.", "completed"),
        ("completed in 2017", "completed"),
        ("Planned", "planned"),
        ("N/A", None),
    ],
)
def test_status_is_normalized(value, expected):
    text = f"T\nMarch 1, 2019\nChallenge A. Towards a Solution B.\nProject status: {value}\n"
    assert parse_text(text)[0]["status"] == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2014-2017", (2014, 2017)),
        ("2014 – 2017", (2014, 2017)),
        ("2014-17", (2014, 2017)),
        ("March 2014 to December 2017", (2014, 2017)),
        ("2016", (2016, 2016)),
        ("since 2016", (2016, None)),
        ("2016-present", (2016, None)),
        ("until 2020", (None, 2020)),
    ],
)
def test_project_period(value, expected):
    text = f"T\nMarch 1, 2019\nChallenge A. Towards a Solution B.\nProject period: {value}\n"
    (only,) = parse_text(text)
    assert (only["period_start"], only["period_end"]) == expected


@pytest.mark.parametrize("date", ["March 17, 2019", "17 March 2019", "Mar. 17, 2019", "2019-03-17"])
def test_date_lines(date):
    assert parse_text(f"T\n{date}\nChallenge A. Towards a Solution B.")[0]["date"] == "2019-03-17"


def test_country_names_joined_by_and_are_split_only_when_both_are_countries():
    text = (
        "T\nMarch 1, 2019\nChallenge A. Towards a Solution B.\n"
        "Countries / territories involved: Trinidad and Tobago, Europe and Central Asia, "
        "Armenia and Georgia\n"
    )
    assert parse_text(text)[0]["countries"] == [
        "Trinidad and Tobago",
        "Europe and Central Asia",
        "Armenia",
        "Georgia",
    ]


# --- Errors --------------------------------------------------------------------------------


def error_of(data: bytes, fmt: str = "un-text", name: str = "bad.txt") -> ParseError:
    with pytest.raises(ParseError) as info:
        read(data, fmt, name)
    return info.value


@pytest.mark.parametrize("data", [b"", b"  \n\n \t\n"])
def test_an_empty_file(data):
    error = error_of(data)
    assert (error.file, error.line) == ("bad.txt", 1)
    assert str(error) == "bad.txt, line 1: The file is empty."


def test_a_binary_file():
    error = error_of(b"Title\nline two\n\x89PNG\x00\x00\x1a", name="/tmp/upload/picture.txt")
    assert (error.file, error.line) == ("picture.txt", 3)
    assert "binary" in str(error)


def test_a_file_in_another_encoding():
    error = error_of("Региональный хаб\nМарт".encode("cp1251"))
    assert error.line == 1
    assert "UTF-8" in error.message


def test_a_truncated_record_is_read_with_a_warning_naming_what_is_missing():
    parsed = read((DATA / "truncated.txt").read_bytes(), "un-text", "truncated.txt")
    (record,) = parsed.records
    assert (record["title"], record["date"]) == (
        "Regional Hub of Civil Service in Astana",
        "2019-03-17",
    )
    assert record["challenge"] is record["solution"] is None
    (warning,) = parsed.warnings
    assert warning.line == 3
    assert str(warning).startswith(
        "truncated.txt, line 3: “Regional Hub of Civil Service in Astana” ends without: "
        "challenge, towards a solution, SDG targets,"
    )


def test_strict_refuses_a_truncated_record():
    with pytest.raises(ParseError) as info:
        read((DATA / "truncated.txt").read_bytes(), "un-text", "truncated.txt", strict=True)
    assert info.value.line == 3
    assert info.value.message.endswith("Is the record cut off? (refused in strict mode)")


def test_a_record_cut_in_its_challenge():
    parsed = parse_un_text("Title\nMarch 1, 2019\nChallenge The text stops here", "cut.txt")
    (record,) = parsed.records
    assert (record["challenge"], record["solution"]) == ("The text stops here", None)
    assert [w.line for w in parsed.warnings] == [3]
    assert "towards a solution" in parsed.warnings[0].message


def test_a_csv_file_given_as_text():
    error = error_of((DATA / "practices.csv.txt").read_bytes(), name="practices.csv.txt")
    assert (error.file, error.line) == ("practices.csv.txt", 1)
    assert "Expected a practice title" in error.message


def test_prose_that_is_not_the_format():
    error = error_of(Path("/work/shared/seeds/003_359df936efb6aa22.txt").read_bytes())
    assert error.line == 1


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("Project status: Suspended", "Unknown project status “Suspended”"),
        ("Project period: 2017-2014", "ends before it starts"),
        ("Project period: sometime", "Cannot read the project period"),
        ("Sustainable Development Goal targets: 16.5, Goal 16", "not an SDG target code"),
        ("URL of the practice: http://a.example.org http://b.example.org", "more than one URL"),
    ],
)
def test_bad_field_values_name_the_line(field, message):
    error = error_of(f"T\nMarch 1, 2019\nChallenge A.\nTowards a Solution B.\n\n{field}\n".encode())
    assert error.line == 6
    assert message in error.message


def test_a_field_given_twice():
    text = b"T\nMarch 1, 2019\nChallenge A. Towards a Solution B.\nURL: http://a.org\nURL: http://b.org"
    assert error_of(text).line == 5


def test_an_impossible_date():
    assert error_of(b"T\nFebruary 30, 2019\nChallenge A. Towards a Solution B.").line == 2


# --- JSON and CSV --------------------------------------------------------------------------


def test_json_reads_records_with_the_same_keys():
    data = importers.json.dumps(
        [SEED_RECORD, {"title": "Only a title", "language": "ru"}], indent=2
    )
    parsed = read(data.encode(), "json", "records.json")
    assert parsed.records[0] == SEED_RECORD
    assert parsed.records[1] == record(title="Only a title", language="ru")
    # the line each object starts on, for error messages
    starts = [n for n, line in enumerate(data.split("\n"), start=1) if line == "  {"]
    assert parsed.lines == starts == [2, starts[1]]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[\n{"title": "A",}\n]', 2, "not valid JSON"),
        ('{"title": "A"}', 1, "Expected a JSON list"),
        ('[\n  {"title": "A"},\n  {"title": "B", "colour": "red"}\n]', 3, "Unknown fields: colour"),
        ('[\n  {"date": "2019-03-17"}\n]', 2, "no title"),
        ('[{"title": "A", "date": "17/03/2019"}]', 1, "not a date"),
        ('[{"title": "A", "status": "paused"}]', 1, "Unknown project status"),
        ('[{"title": "A", "sdg_targets": "16.5"}]', 1, "must be a list"),
        ('[{"title": "A", "period_start": 2017, "period_end": 2014}]', 1, "ends before"),
        ('[{"title": "A", "contacts": [{"phone": "1"}]}]', 1, "Each contact"),
    ],
)
def test_json_errors(text, line, message):
    error = error_of(text.encode(), "json", "records.json")
    assert error.line == line
    assert message in error.message


def test_csv_reads_list_cells_and_contacts_line_by_line():
    text = (
        "title,date,sdg_targets,countries,contacts,period_start,status\n"
        '"Regional Hub",2019-03-17,"16.a\n16.5","Kazakhstan\nGeorgia",'
        '"Mr. A, Director, a@example.org\nMs. B, Adviser",2014,Ongoing\n'
    )
    parsed = read(text.encode(), "csv", "records.csv")
    assert parsed.records == [
        record(
            title="Regional Hub",
            date="2019-03-17",
            sdg_targets=["16.a", "16.5"],
            countries=["Kazakhstan", "Georgia"],
            contacts=[
                {"name": "Mr. A", "position": "Director", "email": "a@example.org"},
                {"name": "Ms. B", "position": "Adviser", "email": None},
            ],
            period_start=2014,
            status="ongoing",
        )
    ]
    assert parsed.lines == [2]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Regional Hub of Civil Service\nMarch 17, 2019\n", 1, "not a practice CSV"),
        ("title,colour\nA,red\n", 1, "not a practice CSV"),
        ("title,date\nA,2019-03-17\nB,2019-03-18,extra\n", 3, "3 cells"),
        ("title,period_start\nA,soon\n", 2, "not a year"),
        ('title,challenge\nA,"never closed\n', 2, "cannot be read"),
        ("title,date\n", 1, "no records"),
    ],
)
def test_csv_errors(text, line, message):
    error = error_of(text.encode(), "csv", "records.csv")
    assert error.line == line
    assert message in error.message


def test_format_for_guesses_by_extension():
    assert importers.format_for("a/b.JSON") == "json"
    assert importers.format_for("b.csv") == "csv"
    assert importers.format_for("b.txt") == importers.format_for("b") == "un-text"


# --- Records as copied from the series' web pages ------------------------------------------


def test_a_web_page_copy_with_contacts_first_a_repeated_title_and_a_subtitle():
    parsed = read((DATA / "web_page_copy.txt").read_bytes(), "un-text", "web_page_copy.txt")
    (record,) = parsed.records
    assert parsed.lines == [1]
    assert record["title"] == "Open Recruitment Portal for Rural Municipalities"
    assert record["summary"] == "How two neighbouring agencies shared one vacancy system"
    assert record["date"] == "2020-06-04"  # the posting date, not the modification date
    assert record["challenge"].startswith("Small municipalities advertised posts")
    assert record["solution"].startswith("The two agencies adapted")
    assert (record["status"], record["period_start"], record["period_end"]) == (
        "completed",
        2018,
        2020,
    )
    assert record["contacts"] == [
        {
            "name": "Ms. Aigerim Testova",
            "position": "Knowledge Officer, Example Civil Service Agency",
            "email": "aigerim.testova@example.org",
        },
        {
            "name": "Mr. Daniyar Samplebek",
            "position": "Programme Analyst, Example Country Office",
            "email": "daniyar.samplebek@example.org",
        },
    ]
    assert [(w.line, w.message.split(" ")[0]) for w in parsed.warnings] == [
        (1, "The"),  # the e-mail with a space after the @
        (1, "4"),  # four contact lines before the title
        (9, "This"),  # the subtitle
        (11, "The"),  # the date line's second date and section
        (13, "“Open"),  # no Challenge heading
    ]
    assert "“December 2nd, 2020 UNDP”" in parsed.warnings[3].message


@pytest.mark.parametrize(
    ("line", "date", "rest"),
    [
        ("By March 9, 2019 November 1st, 2019 UNFPA", "2019-03-09", "November 1st, 2019 UNFPA"),
        ("Sep 12, 2022 | Good Practices Publications", "2022-09-12", "Good Practices Publications"),
        ("Posted on 1st May 2020", "2020-05-01", ""),
        ("Tuesday, 26 June 2018 12:34", "2018-06-26", "12:34"),
        ("March 17, 2019", "2019-03-17", ""),
    ],
)
def test_date_lines_as_web_pages_print_them(line, date, rest):
    parsed = parse_un_text(f"T\n{line}\nChallenge A. Towards a Solution B.\n", "d.txt")
    assert parsed.records[0]["date"] == date
    assert any(rest in w.message for w in parsed.warnings if "date line" in w.message) == bool(rest)


def test_a_sentence_that_starts_with_a_date_is_prose_not_a_date_line():
    text = "T\nChallenge\nMarch 17, 2019 saw the first meeting.\nTowards a Solution B.\n"
    (record,) = parse_un_text(text, "p.txt").records
    assert (record["date"], record["challenge"]) == (None, "March 17, 2019 saw the first meeting.")


def test_challenges_heading_and_towards_a_solution_in_capitals():
    (record,) = parse("challenges_heading.txt")
    assert record["challenge"].startswith("Newly appointed inspectors")
    assert record["solution"].startswith("Three inspectorates")
    assert record["status"] == "ongoing"


def test_no_challenge_heading_reads_the_prose_after_the_title_as_the_challenge():
    parsed = read((DATA / "no_challenge_heading.txt").read_bytes(), "un-text", "n.txt")
    (record,) = parsed.records
    assert record["challenge"] == (
        "Residents of remote villages travelled a whole day to reach a public service centre."
    )
    assert record["solution"] == "A van with two clerks now visits each village once a fortnight."
    assert record["countries"] == ["Tajikistan"]
    assert parsed.warnings[0].line == 5
    assert "no “Challenge” heading" in parsed.warnings[0].message


def test_towards_a_solution_inside_a_sentence_is_not_the_heading():
    text = "T\nMay 1, 2019\nChallenge Work towards a solution stalled. Towards a Solution B.\n"
    (record,) = parse_un_text(text, "s.txt").records
    assert (record["challenge"], record["solution"]) == ("Work towards a solution stalled.", "B.")


def test_a_cut_off_excerpt_keeps_what_is_there():
    parsed = read((DATA / "cut_off_excerpt.txt").read_bytes(), "un-text", "cut.txt")
    (record,) = parsed.records
    assert record["challenge"].endswith("before they reached parliament, and")
    assert record["solution"] is None
    assert importers.fields_found(record) == ["title", "date", "challenge"]
    assert parsed.warnings[-1].line == 5


def test_contact_field_wins_over_contact_lines_before_the_title():
    text = (
        "Ms. A. Person, Officer, a.person@example.org\nTitle Here\nMay 1, 2019\n"
        "Challenge A. Towards a Solution B.\nContact: Mr. B. Other, Adviser, b.other@example.org\n"
    )
    (record,) = parse_un_text(text, "c.txt").records
    assert [c["email"] for c in record["contacts"]] == ["b.other@example.org"]


def test_a_hidden_e_mail_is_not_read_as_a_position():
    text = (
        "T\nMay 1, 2019\nChallenge A. Towards a Solution B.\nImplemented by: Agency X\n"
        "Contact person: Ann Example, Economic Adviser, This email address is being protected "
        "from spambots. You need JavaScript enabled to view it.\n"
    )
    (record,) = parse_un_text(text, "h.txt").records
    assert record["implementing_entity"] == ["Agency X"]
    assert record["contacts"] == [
        {"name": "Ann Example", "position": "Economic Adviser", "email": None}
    ]


def test_json_nested_too_deeply_names_the_file():
    error = error_of(b"[" * 100_000 + b"]" * 100_000, fmt="json", name="deep.json")
    assert (error.file, error.line) == ("deep.json", 1)
    assert "nested too deeply" in error.message


def test_a_summary_heading_is_not_taken_for_a_title():
    error = error_of(b"Summary\n\nA short text.\n\nChallenge\nA.\n\nSolution\nB.\n")
    assert error.line == 1
    assert "Expected a practice title" in error.message


def test_solution_standing_alone_on_its_line_is_the_heading():
    text = "T\nMay 1, 2019\nChallenge\nA.\n\nSolution\nB.\n\nSupported by: UNDP\n"
    (record,) = parse_un_text(text, "s.txt").records
    assert (record["challenge"], record["solution"], record["supported_by"]) == (
        "A.",
        "B.",
        ["UNDP"],
    )


def test_a_long_first_paragraph_is_not_guessed_to_be_a_title():
    prose = "The region " + "faces many challenges " * 20 + "and so on"
    error = error_of(f"{prose}\n\nTowards a Solution B.\n".encode())
    assert error.line == 1
    assert "Expected a practice title" in error.message


def test_shuffled_and_cut_lines_of_the_fixtures_never_crash_the_parser():
    """Any mix of the fixtures' lines, cut anywhere, is read or refused with a ParseError."""
    import random

    lines = [
        line
        for path in sorted(DATA.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").split("\n")
    ]
    rng = random.Random(2026)  # seeded: the same texts every run
    outcomes = set()
    for _ in range(300):
        text = "\n".join(rng.choice(lines) if rng.random() > 0.2 else "" for _ in range(30))
        text = text[: rng.randint(0, len(text))]
        for strict in (False, True):
            try:
                read(text.encode(), "un-text", "mix.txt", strict=strict)
                outcomes.add("read")
            except ParseError:
                outcomes.add("refused")
    assert outcomes == {"read", "refused"}

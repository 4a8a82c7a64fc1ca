import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from civhub.directory.choices import MembershipStatus
from civhub.directory.models import (
    Country,
    GoverningBody,
    Membership,
    Person,
    SdgGoal,
    SdgTarget,
    Seat,
    member_count_on,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def join(code, joined, left=None, status=MembershipStatus.PARTICIPATING):
    return Membership.objects.create(
        country=Country.objects.get(code=code), joined_on=joined, left_on=left, status=status
    )


class TestReferenceData:
    def test_every_iso_country_is_there_with_translated_names(self):
        assert Country.objects.count() == 249
        kz = Country.objects.get(code="KZ")
        assert (kz.name_en, kz.name_ru, kz.name_kk) == ("Kazakhstan", "Казахстан", "Қазақстан")
        assert kz.alpha3 == "KAZ"
        assert kz.region.slug == "central-asia"

    def test_the_17_goals_and_169_targets(self):
        assert SdgGoal.objects.count() == 17
        assert SdgTarget.objects.count() == 169
        assert list(SdgTarget.objects.filter(goal__number=16).values_list("code", flat=True))[
            -3:
        ] == ["16.10", "16.a", "16.b"]
        target = SdgTarget.objects.get(code="16.6")
        assert target.text.startswith("Develop effective, accountable and transparent institutions")
        goal = SdgGoal.objects.get(number=16)
        assert goal.short_name_ru and goal.short_name_kk

    def test_loading_again_adds_nothing_and_keeps_edits(self):
        from civhub.directory.reference import load_reference_data

        kz = Country.objects.get(code="KZ")
        kz.name_en = "Republic of Kazakhstan"
        kz.save()
        load_reference_data()
        assert Country.objects.count() == 249
        assert SdgTarget.objects.count() == 169
        assert Country.objects.get(code="KZ").name_en == "Republic of Kazakhstan"


class TestMembershipHistory:
    def test_member_count_on_any_date_comes_from_history(self):
        join("KZ", D(2013, 3, 1))
        join("KG", D(2013, 3, 1))
        join("GE", D(2014, 5, 1), left=D(2016, 1, 1))
        join("US", D(2015, 1, 1), status=MembershipStatus.OBSERVER)
        assert member_count_on(D(2013, 2, 28)) == 0
        assert member_count_on(D(2013, 3, 1)) == 2
        assert member_count_on(D(2014, 5, 1)) == 3
        assert member_count_on(D(2015, 12, 31)) == 3  # observers are not counted
        assert (
            member_count_on(D(2016, 1, 1)) == 2
        )  # the day a country leaves it is no longer counted

    def test_status_on_a_date(self):
        join("GE", D(2014, 5, 1), left=D(2016, 1, 1))
        join("US", D(2015, 1, 1), status=MembershipStatus.OBSERVER)
        georgia = Country.objects.get(code="GE")
        assert georgia.status_on(D(2014, 1, 1)) == ""
        assert georgia.status_on(D(2015, 1, 1)) == "participating"
        assert georgia.status_on(D(2017, 1, 1)) == "former"
        assert Country.objects.get(code="US").status_on(D(2020, 1, 1)) == "observer"

    def test_rejoining_after_leaving(self):
        join("GE", D(2014, 5, 1), left=D(2016, 1, 1))
        join("GE", D(2018, 1, 1))
        assert Country.objects.get(code="GE").status_on(D(2019, 1, 1)) == "participating"
        assert member_count_on(D(2017, 1, 1)) == 0

    def test_demo_data_gives_the_seed_figures(self, demo_data):
        assert member_count_on(D(2013, 3, 31)) == 25
        assert member_count_on(D(2014, 9, 17)) == 29
        assert member_count_on(D(2019, 12, 31)) == 34


class TestMembershipBadInput:
    def test_a_duplicate_membership_is_refused_with_the_field_named(self):
        join("KZ", D(2013, 3, 1))
        duplicate = Membership(country=Country.objects.get(code="KZ"), joined_on=D(2013, 3, 1))
        with pytest.raises(ValidationError) as error:
            duplicate.full_clean()
        assert "joined_on" in error.value.message_dict or "__all__" in error.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            duplicate.save()
        assert Membership.objects.count() == 1

    def test_an_overlapping_period_is_refused(self):
        join("KZ", D(2013, 3, 1), left=D(2015, 1, 1))
        overlapping = Membership(country=Country.objects.get(code="KZ"), joined_on=D(2014, 1, 1))
        with pytest.raises(ValidationError) as error:
            overlapping.full_clean()
        assert "overlaps" in error.value.message_dict["joined_on"][0]

    def test_a_period_that_ends_before_it_starts_is_refused(self):
        bad = Membership(
            country=Country.objects.get(code="KZ"), joined_on=D(2015, 1, 1), left_on=D(2014, 1, 1)
        )
        with pytest.raises(ValidationError) as error:
            bad.full_clean()
        assert "left_on" in error.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            bad.save()
        assert not Membership.objects.exists()


class TestCountryBadInput:
    def test_an_unknown_country_code_is_refused(self):
        country = Country(code="XQ", name="Nowhere")
        with pytest.raises(ValidationError) as error:
            country.full_clean()
        assert "code" in error.value.message_dict
        assert "ISO 3166-1" in error.value.message_dict["code"][0]


class TestSeats:
    def test_a_seat_that_ends_before_it_starts_is_refused(self):
        body = GoverningBody.objects.create(
            slug="sc", name="Steering Committee", kind="steering_committee"
        )
        person = Person.objects.create(name="A Person")
        seat = Seat(body=body, person=person, started_on=D(2016, 1, 1), ended_on=D(2015, 1, 1))
        with pytest.raises(ValidationError) as error:
            seat.full_clean()
        assert "ended_on" in error.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            seat.save()
        assert not Seat.objects.exists()

    def test_current_seats(self):
        body = GoverningBody.objects.create(slug="ab", name="Advisory Board", kind="advisory_board")
        person = Person.objects.create(name="B Person")
        Seat.objects.create(
            body=body, person=person, started_on=D(2015, 1, 1), ended_on=D(2016, 12, 31)
        )
        Seat.objects.create(body=body, person=person, started_on=D(2018, 1, 1))
        assert Seat.objects.current(D(2016, 12, 31)).count() == 1
        assert Seat.objects.current(D(2017, 6, 1)).count() == 0
        assert Seat.objects.current(D(2020, 1, 1)).get().started_on == D(2018, 1, 1)


class TestPeople:
    def test_languages_must_be_iso_codes(self):
        person = Person(name="C Person", languages=["kk", "xx"])
        with pytest.raises(ValidationError) as error:
            person.full_clean()
        assert "xx" in error.value.message_dict["languages"][0]

    def test_slugs_are_unique(self):
        first = Person.objects.create(name="Same Name")
        second = Person.objects.create(name="Same Name")
        assert first.slug != second.slug

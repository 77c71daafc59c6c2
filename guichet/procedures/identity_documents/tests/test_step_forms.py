"""Bad inputs in the pré-demande steps get a clear French message and are not saved."""

from datetime import date

import pytest

from .. import predemande as services
from ..forms import AddressForm, CivilStatusForm, ContactForm, ParentsForm, PhysicalForm, PreviousTitlesForm
from .factories import step_values

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)


@pytest.fixture
def adult_predemande(citizen, communes):
    return services.predemande_start(applicant=citizen, actor=citizen, titles=["cni", "passeport"], motive="first")


def predemande_for(citizen, motive, titles=("cni",)):
    return services.predemande_start(applicant=citizen, actor=citizen, titles=titles, motive=motive)


def errors_of(form_class, predemande, data):
    form = form_class(data, predemande=predemande, today=TODAY)
    assert not form.is_valid()
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


def civil(**changes):
    return step_values(civil_status=changes)[services.CIVIL_STATUS]


def test_birth_in_the_future_is_refused(adult_predemande):
    assert "dans le futur" in errors_of(CivilStatusForm, adult_predemande, civil(birth_date="2027-01-01"))


def test_unknown_insee_code_is_refused(adult_predemande):
    message = errors_of(CivilStatusForm, adult_predemande, civil(birth_commune_code="99999"))
    assert "99999" in message and "aucune commune" in message


def test_birth_in_france_needs_a_commune_and_abroad_needs_a_country(adult_predemande):
    assert "commune de naissance" in errors_of(CivilStatusForm, adult_predemande, civil(birth_commune_code=""))
    abroad = civil(born_abroad="1", birth_commune_code="", birth_country="")
    assert "pays de naissance" in errors_of(CivilStatusForm, adult_predemande, abroad)
    form = CivilStatusForm(
        civil(born_abroad="1", birth_country="Sénégal", birth_place_abroad="Dakar"), predemande=adult_predemande
    )
    assert form.is_valid(), form.errors
    assert form.values()["birth_commune_code"] == "" and form.values()["born_abroad"] is True


def test_names_with_digits_are_refused(adult_predemande):
    assert "lettres" in errors_of(CivilStatusForm, adult_predemande, civil(last_name="Martin2"))


def test_a_minor_cannot_make_their_own_request_and_an_adult_is_not_a_minor(citizen, communes, adult_predemande):
    assert "mineure" in errors_of(CivilStatusForm, adult_predemande, civil(birth_date="2012-01-01"))
    for_minor = services.predemande_start(
        applicant=citizen,
        actor=citizen,
        titles=["cni"],
        motive="first",
        is_for_minor=True,
        representative={"link": "father", "last_name": "Martin", "given_names": "Paul"},
    )
    assert "18 ans ou plus" in errors_of(CivilStatusForm, for_minor, civil(birth_date="1990-01-01"))


def test_commune_choices_come_from_a_name_or_a_postal_code(adult_predemande):
    assert ("35051", "Cesson-Sévigné (35)") in CivilStatusForm(
        {"birth_commune_search": "cesson"}, predemande=adult_predemande
    ).commune_choices()
    shared = CivilStatusForm({"birth_commune_search": "35760"}, predemande=adult_predemande).commune_choices()
    assert {code for code, _label in shared} == {"", "35206", "35281"}


def test_parent_born_after_the_child_is_refused(adult_predemande, citizen):
    services.predemande_save_step(
        predemande=adult_predemande, step=services.CIVIL_STATUS, values={"birth_date": "1990-05-17"}, actor=citizen
    )
    data = step_values(parents={"parent1_birth_date": "1995-01-01"})[services.PARENTS]
    assert "avant son enfant" in errors_of(ParentsForm, adult_predemande, data)


def test_unknown_parent_may_be_left_empty(adult_predemande):
    data = step_values(
        parents={
            "parent2_last_name": "",
            "parent2_given_names": "",
            "parent2_birth_date": "",
            "parent2_birth_place": "",
        }
    )[services.PARENTS]
    assert ParentsForm(data, predemande=adult_predemande).is_valid()


@pytest.mark.parametrize("height", ["12", "300", "-5", "cent"])
def test_height_must_be_sane(adult_predemande, height):
    message = errors_of(PhysicalForm, adult_predemande, {"height_cm": height, "eye_colour": "blue"})
    assert "centimètres" in message


def test_eye_colour_comes_from_the_list(adult_predemande):
    assert errors_of(PhysicalForm, adult_predemande, {"height_cm": "170", "eye_colour": "purple"})


def test_postal_code_and_commune_must_match(adult_predemande):
    data = step_values(address={"postal_code": "35000", "commune_code": "35051"})[services.ADDRESS]
    assert "ne correspond pas au code postal 35000" in errors_of(AddressForm, adult_predemande, data)
    unknown = step_values(address={"postal_code": "00000", "commune_code": ""})[services.ADDRESS]
    assert "Aucune commune" in errors_of(AddressForm, adult_predemande, unknown)


def test_a_postal_code_with_one_commune_picks_it(adult_predemande):
    form = AddressForm({"street": "1 rue X", "postal_code": "35510", "commune_code": ""}, predemande=adult_predemande)
    assert form.is_valid(), form.errors
    assert form.values()["commune_code"] == "35051"


def test_a_postal_code_with_several_communes_asks_to_choose(adult_predemande):
    assert "Choisissez la commune" in errors_of(
        AddressForm, adult_predemande, {"street": "1 rue X", "postal_code": "35760", "commune_code": ""}
    )


@pytest.mark.parametrize(
    ("raw", "stored"), [("06 12 34 56 78", "+33612345678"), ("+33 7 00 11 22 33", "+33700112233"), ("", "")]
)
def test_mobile_phone_is_optional_and_stored_in_e164(adult_predemande, raw, stored):
    form = ContactForm({"mobile_phone": raw}, predemande=adult_predemande)
    assert form.is_valid(), form.errors
    assert form.values()["mobile_phone"] == stored


def test_a_landline_is_refused(adult_predemande):
    assert "06 ou 07" in errors_of(ContactForm, adult_predemande, {"mobile_phone": "02 99 00 00 00"})


def test_expiry_before_issue_is_refused(citizen, communes):
    predemande = predemande_for(citizen, "renewal_expired")
    data = {"cni_number": "AB1234567", "cni_issued_on": "2015-06-01", "cni_expires_on": "2010-06-01"}
    assert "précéder la date de délivrance" in errors_of(PreviousTitlesForm, predemande, data)


def test_renewal_needs_the_current_titles_expiry(citizen, communes):
    predemande = predemande_for(citizen, "renewal_expiring", titles=("passeport",))
    assert "passeport actuel" in errors_of(PreviousTitlesForm, predemande, {})


def test_renewal_motive_must_match_the_expiry(citizen, communes):
    expired = predemande_for(citizen, "renewal_expired")
    assert "pas encore expiré" in errors_of(PreviousTitlesForm, expired, {"cni_expires_on": "2030-01-01"})
    expiring = predemande_for(citizen, "renewal_expiring")
    assert "déjà expiré" in errors_of(PreviousTitlesForm, expiring, {"cni_expires_on": "2020-01-01"})


def test_first_request_with_a_previous_title_of_that_kind_is_refused(citizen, communes):
    predemande = predemande_for(citizen, "first", titles=("cni",))
    assert "première demande" in errors_of(PreviousTitlesForm, predemande, {"cni_expires_on": "2020-01-01"})
    # Another kind of title may be given: it can prove identity.
    assert PreviousTitlesForm({"passeport_expires_on": "2030-01-01"}, predemande=predemande, today=TODAY).is_valid()


def test_theft_needs_the_police_declaration_date(citizen, communes):
    predemande = predemande_for(citizen, "theft")
    assert "commissariat" in errors_of(PreviousTitlesForm, predemande, {})
    assert "futur" in errors_of(PreviousTitlesForm, predemande, {"declaration_date": "2027-01-01"})
    assert PreviousTitlesForm({"declaration_date": "2026-11-20"}, predemande=predemande, today=TODAY).is_valid()


def test_title_numbers_are_checked(citizen, communes):
    predemande = predemande_for(citizen, "renewal_expired")
    assert "9 à 12" in errors_of(
        PreviousTitlesForm, predemande, {"cni_number": "12-AB", "cni_expires_on": "2020-01-01"}
    )


def test_saved_values_come_back_in_the_form(adult_predemande, citizen):
    form = CivilStatusForm(civil(), predemande=adult_predemande)
    assert form.is_valid(), form.errors
    services.predemande_save_step(
        predemande=adult_predemande, step=services.CIVIL_STATUS, values=form.values(), actor=citizen
    )
    again = CivilStatusForm(predemande=adult_predemande)
    assert again.initial["birth_date"] == date(1990, 5, 17)
    assert again.initial["birth_commune_code"] == "35051"
    assert ("35051", "Cesson-Sévigné (35)") in again.commune_choices()

import threading
import pytest
from django.db import connection
from civiclink.places.forms import OrganisationForm
from civiclink.places.models import Sector
from civiclink.places.registration import DuplicateRegistration, register_organisation


@pytest.mark.django_db(transaction=True)
def test_probe(make_municipality, make_user):
    municipality = make_municipality("Mostar")
    sector, _ = Sector.objects.get_or_create(slug="youth", defaults={"name": "Youth"})
    outcomes = []

    def register(name):
        form = OrganisationForm({"legal_name": name, "registration_number": "RU-5/2025", "municipality": municipality.pk, "sectors": [sector.pk], "language": "bs"})
        print("valid", form.is_valid(), form.errors)
        try:
            register_organisation(form, make_user())
            outcomes.append("registered")
        except DuplicateRegistration as e:
            outcomes.append(repr(e.__cause__))
    t = threading.Thread(target=register, args=("A one",)); t.start(); t.join()
    print("OUT", outcomes)
    assert outcomes == ["registered"]

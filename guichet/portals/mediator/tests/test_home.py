from django.urls import reverse


def test_mediator_home_shows_the_structure_and_its_hours_in_words(verified_client, personas):
    page = verified_client(personas["mediator"]).get(reverse("mediator:home")).content.decode()
    assert "Point numérique de la préfecture d&#x27;Ille-et-Vilaine" in page
    assert "du lundi au vendredi" in page

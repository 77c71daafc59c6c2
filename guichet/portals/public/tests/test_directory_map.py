from guichet.portals.public.directory_map import Bounds, MapPoint, map_svg

BOUNDS = Bounds(47.5, 48.8, -2.2, -1.0)


def test_places_sharing_a_position_get_one_dot_with_every_name_in_its_title():
    svg = str(
        map_svg(
            bounds=BOUNDS,
            places=[
                MapPoint(48.11, -1.67, "Mairie de Rennes", "/lieux/1/"),
                MapPoint(48.11, -1.67, "Préfecture", "/lieux/2/"),
                MapPoint(47.65, -2.08, "Mairie de Redon", "/lieux/3/"),
            ],
        )
    )
    assert svg.count("<circle") == 2
    assert "2 lieux" in svg and "Mairie de Rennes ; Préfecture" in svg
    assert 'href="/lieux/3/"' in svg and 'href="/lieux/1/"' not in svg


def test_places_outside_the_bounds_are_not_drawn():
    svg = str(map_svg(bounds=BOUNDS, places=[MapPoint(43.3, 5.4, "Marseille", "/lieux/9/")]))
    assert "<circle" not in svg

"""The matrix's URL-conf walk finds every named route, however deeply included, and flags gaps both ways."""

from django.test import override_settings

from .authorization_matrix import EXPECTATIONS, names_missing_from_table, table_entries_without_url, url_conf_names


@override_settings(ROOT_URLCONF="tests.quality.sample_urlconf")
def test_walk_finds_routes_in_nested_namespaces_and_unnamed_routes_outside_covered_namespaces():
    found = url_conf_names()
    assert {"top_level_without_namespace", "account:home", "account:franceconnect:sample_callback"} <= found.named
    assert "new_portal:dossier" in found.named
    assert "admin:index" in found.named
    assert found.unnamed == ["/compte/sans-nom/"]  # the admin's unnamed catch-all is covered by its namespace


@override_settings(ROOT_URLCONF="tests.quality.sample_urlconf")
def test_new_urls_are_reported_missing_and_vanished_ones_stale():
    named = url_conf_names().named
    missing = names_missing_from_table(named)
    assert {"account:franceconnect:sample_callback", "new_portal:dossier", "top_level_without_namespace"} <= set(
        missing
    )
    assert not [name for name in missing if name.startswith("admin:")]
    assert "public:home" in table_entries_without_url(named)


def test_a_second_sample_of_a_url_counts_for_that_url(monkeypatch):
    named = url_conf_names().named
    monkeypatch.setitem(EXPECTATIONS, "public:home@again", EXPECTATIONS["public:home"])
    monkeypatch.setitem(EXPECTATIONS, "public:vanished@sample", EXPECTATIONS["public:home"])
    assert EXPECTATIONS["public:home@again"].url("public:home@again", None) == "/"
    assert "public:home@again" not in table_entries_without_url(named)
    assert table_entries_without_url(named) == ["public:vanished@sample"]
    assert names_missing_from_table(named) == []

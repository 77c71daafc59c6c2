"""Test identities, FranceConnect-shaped (sub = 64 hex + "v1"; INSEE codes for places and countries)."""

IDENTITIES: dict[str, dict[str, str]] = {
    "marie": {
        "sub": "3f5a8c2e9b1d4e7f6a0c2b4d8e1f3a5c7b9d0e2f4a6c8b1d3e5f7a9c0b2d4e6fv1",
        "given_name": "Marie Louise",
        "family_name": "Dupont",
        "birthdate": "1985-04-12",
        "birthplace": "35238",
        "birthcountry": "99100",
        "gender": "female",
        "email": "marie.dupont@example.org",
    },
    "karim": {
        "sub": "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90v1",
        "given_name": "Karim",
        "family_name": "Haddad",
        "birthdate": "1979-01-01",  # presumed date: only the year is known
        "birthplace": "",  # born abroad
        "birthcountry": "99350",
        "gender": "male",
        "email": "karim.haddad@example.org",
    },
    # Same e-mail as the `citizen` persona of guichet.testing.personas: exercises the linking confirmation.
    "camille": {
        "sub": "0c1d2e3f405162738495a6b7c8d9eafb0c1d2e3f405162738495a6b7c8d9eafbv1",
        "given_name": "Camille",
        "family_name": "Martin",
        "birthdate": "1992-11-03",
        "birthplace": "2A004",
        "birthcountry": "99100",
        "gender": "female",
        "email": "camille.usager@example.fr",
    },
    # A provider bug: a sub that is not in FranceConnect's format.
    "malformed_sub": {
        "sub": "12345",
        "given_name": "Alex",
        "family_name": "Lemoine",
        "birthdate": "1990-06-15",
        "birthplace": "75056",
        "birthcountry": "99100",
        "gender": "male",
        "email": "alex.lemoine@example.org",
    },
}

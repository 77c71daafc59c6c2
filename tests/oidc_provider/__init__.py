"""A real OpenID Connect provider shaped like FranceConnect v2, for the test suite only.

A tiny Django project on django-oauth-toolkit, run in a subprocess on localhost by `fixtures.oidc_provider`:
endpoints under `/api/v2/`, RS256 ID tokens carrying `acr`, a `/userinfo` answering an ES256-signed JWT,
`/session/end`, test identities picked on a login form, and `/test-control/` to make it misbehave on purpose.
"""

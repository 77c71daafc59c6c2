"""Authorization-matrix entries of the help pages (`/demarches/`, `/lexique/`, `/aide/`) and of their admin.

The public pages are open to everyone and read the content the data migration seeds (re-seeded by the root
conftest after a flush). Editing happens in the Django admin, open to the verified platform admin only.
"""

from __future__ import annotations

from typing import Any

from .authorization_matrix import (
    EVERYONE_NOT_FOUND,
    EVERYONE_OK,
    Entry,
    MatrixContext,
    admin_outcomes,
    entry,
    redirect_to,
)


def _step_without_upload(context: MatrixContext) -> dict[str, Any]:
    from guichet.help.models import TutorialStep

    step = TutorialStep.objects.filter(tutorial__slug="trouver-de-l-aide").earliest("position")
    return {"slug": "trouver-de-l-aide", "step_id": step.pk}


def _guide_pk(context: MatrixContext) -> dict[str, Any]:
    from guichet.help.models import ProcedureGuide

    return {"object_id": ProcedureGuide.objects.get(slug="carte-identite").pk}


EXPECTATIONS: dict[str, Entry] = {
    "public:help_catalogue": entry(get=EVERYONE_OK),
    "public:help_guide": entry(get=EVERYONE_OK, sample_kwargs=lambda context: {"slug": "carte-identite"}),
    "public:help_guide@trusted_party": entry(
        get=EVERYONE_OK, sample_kwargs=lambda context: {"slug": "permis-de-conduire"}
    ),
    "public:help_guide@unknown": entry(get=EVERYONE_NOT_FOUND, sample_kwargs=lambda context: {"slug": "inconnue"}),
    "public:help_guide_faq": entry(get=EVERYONE_OK, sample_kwargs=lambda context: {"slug": "carte-grise"}),
    "public:help_lexicon": entry(get=EVERYONE_OK),
    "public:help_home": entry(get=EVERYONE_OK),
    "public:help_tutorial": entry(get=EVERYONE_OK, sample_kwargs=lambda context: {"slug": "faire-sa-pre-demande"}),
    "public:help_tutorial@unknown": entry(get=EVERYONE_NOT_FOUND, sample_kwargs=lambda context: {"slug": "inconnu"}),
    "public:help_tutorial_video": entry(
        get=EVERYONE_NOT_FOUND,
        sample_kwargs=lambda context: {"slug": "suivre-sa-demande"},
        is_page=False,
        note="the seeded tutorials have no video: 404; a video is streamed to everyone (tested beside the view)",
    ),
    "public:help_tutorial_image": entry(
        get=EVERYONE_NOT_FOUND,
        sample_kwargs=_step_without_upload,
        is_page=False,
        note="this step uses a static image, nothing uploaded: 404; uploads are streamed (tested beside the view)",
    ),
    # Admin (the `admin` namespace is covered by its representative entries; these prove the help models too).
    # Django admin's breadcrumbs fail axe link-in-text-block (its markup, not ours): is_page=False; the other rules
    # are checked on these pages by test_accessibility_help.py.
    "admin:help_procedureguide_changelist": entry(get=admin_outcomes(), is_page=False),
    "admin:help_procedureguide_change": entry(
        get=admin_outcomes(),
        sample_kwargs=_guide_pk,
        is_page=False,
        note="the change form with its inline cases and questions",
    ),
    "admin:help_lexiconterm_add": entry(
        get=admin_outcomes(),
        is_page=False,
        post=admin_outcomes(verified_admin=redirect_to("admin:help_lexiconterm_changelist")),
        post_data=lambda context: {
            "slug": "matrice",
            "term": "matrice",
            "expansion": "",
            "variants": "",
            "definition": "Tableau des droits.",
        },
    ),
}

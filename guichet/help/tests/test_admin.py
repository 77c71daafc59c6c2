"""Platform admins edit the help content in the admin site; every change is journaled; other roles are refused."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from guichet.audit.models import AuditEntry
from guichet.help.models import FaqEntry, LexiconTerm, ProcedureGuide, Tutorial, TutorialStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(personas, verified_client):
    return verified_client(personas["platform_admin"])


def guide_form(guide: ProcedureGuide, **changes) -> dict:
    data = {
        "title": guide.title,
        "slug": guide.slug,
        "title_kind": guide.title_kind,
        "summary": guide.summary,
        "start_mode": guide.start_mode,
        "position": guide.position,
        "is_published": "on",
        "channels": guide.channels,
        "documents": guide.documents,
        "cost": guide.cost,
        "cost_as_of": guide.cost_as_of.isoformat() if guide.cost_as_of else "",
        "delay": guide.delay,
    }
    inlines: tuple[tuple[str, list[Any], tuple[str, ...]], ...] = (
        ("sections", list(guide.sections.all()), ("position", "title", "anchor", "body")),
        ("faq_entries", list(guide.faq_entries.all()), ("position", "question", "anchor", "answer")),
    )
    for prefix, rows, fields in inlines:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": str(len(rows)),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = str(row.pk)
            data[f"{prefix}-{index}-guide"] = str(guide.pk)
            for field in fields:
                data[f"{prefix}-{index}-{field}"] = str(getattr(row, field))
            if prefix == "faq_entries" and row.is_published:
                data[f"{prefix}-{index}-is_published"] = "on"
    data.update(changes)
    return data


@pytest.mark.parametrize("model", ["procedureguide", "faqentry", "lexiconterm", "tutorial"])
def test_platform_admin_lists_the_help_content(admin_client, model):
    assert admin_client.get(reverse(f"admin:help_{model}_changelist")).status_code == 200


def test_platform_admin_edits_a_guide_and_the_change_is_journaled_and_published(admin_client, personas, client):
    guide = ProcedureGuide.objects.get(slug="carte-grise")

    response = admin_client.post(
        reverse("admin:help_procedureguide_change", args=[guide.pk]),
        guide_form(
            guide, delay="Environ **une semaine**.<script>alert(1)</script>", **{"sections-0-title": "Occasion"}
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    guide.refresh_from_db()
    assert guide.delay.startswith("Environ **une semaine**.")
    entries = AuditEntry.objects.filter(action="help_content_saved")
    guide_entry = entries.get(object_type="help.procedureguide")
    assert guide_entry.actor_id == personas["platform_admin"].pk
    assert guide_entry.object_id == str(guide.pk)
    assert guide_entry.data == {"created": False, "fields": ["delay"]}
    section = guide.sections.get(anchor="changement-titulaire")
    assert entries.filter(object_type="help.guidesection", object_id=str(section.pk)).exists()
    page = client.get("/demarches/carte-grise/").content.decode()
    assert "Environ <strong>une semaine</strong>." in page
    assert "alert(1)" not in page


def test_platform_admin_adds_a_lexicon_term_which_then_links_in_help_texts(admin_client, client):
    response = admin_client.post(
        reverse("admin:help_lexiconterm_add"),
        {
            "slug": "ads",
            "term": "ADS",
            "expansion": "Attestation de dépôt sécurisée",
            "variants": "",
            "definition": "Reçu.",
        },
    )

    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="help_content_saved", object_type="help.lexiconterm").get().data["created"]
    FaqEntry.objects.create(anchor="ads", question="Et l'ADS ?", answer="Gardez votre ADS.")
    assert 'href="/lexique/#ads"' in client.get("/aide/").content.decode()


def test_deleting_a_question_is_journaled(admin_client):
    entry = FaqEntry.objects.filter(guide__isnull=True).earliest("pk")

    response = admin_client.post(reverse("admin:help_faqentry_delete", args=[entry.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not FaqEntry.objects.filter(pk=entry.pk).exists()
    deleted = AuditEntry.objects.get(action="help_content_deleted")
    assert deleted.object_type == "help.faqentry" and deleted.object_id == str(entry.pk)


def _png(width=40, height=30) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), (0, 90, 200)).save(output, format="PNG")
    return output.getvalue() + b"<script>trailing payload</script>"


def tutorial_form(tutorial: Tutorial, **step) -> dict:
    return {
        "slug": tutorial.slug,
        "title": tutorial.title,
        "summary": tutorial.summary,
        "guide": "",
        "video_transcript": "",
        "position": "5",
        "is_published": "on",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-position": "1",
        "steps-0-title": "Nouvelle étape",
        "steps-0-body": "Texte de l'étape.",
        "steps-0-static_image": "",
        **{f"steps-0-{key}": value for key, value in step.items()},
    }


def test_uploaded_step_image_is_reencoded_and_needs_a_description(admin_client):
    tutorial = Tutorial.objects.create(slug="essai", title="Essai", summary="Un essai.")
    url = reverse("admin:help_tutorial_change", args=[tutorial.pk])

    refused = admin_client.post(
        url, tutorial_form(tutorial, image=SimpleUploadedFile("capture.png", _png(), "image/png"), image_alt="")
    )
    assert refused.status_code == 200
    assert "Décrivez l&#x27;image" in refused.content.decode()
    assert not TutorialStep.objects.filter(tutorial=tutorial).exists()

    accepted = admin_client.post(
        url,
        tutorial_form(
            tutorial, image=SimpleUploadedFile("capture.png", _png(), "image/png"), image_alt="Une page de Guichet."
        ),
    )
    assert accepted.status_code == 302
    step = TutorialStep.objects.get(tutorial=tutorial)
    stored = step.image.read()
    assert stored.startswith(b"\x89PNG") and b"<script>" not in stored


def test_a_file_that_is_not_an_image_is_refused(admin_client):
    tutorial = Tutorial.objects.create(slug="essai", title="Essai", summary="Un essai.")

    response = admin_client.post(
        reverse("admin:help_tutorial_change", args=[tutorial.pk]),
        tutorial_form(
            tutorial, image=SimpleUploadedFile("capture.png", b"<html>pas une image</html>", "image/png"), image_alt="x"
        ),
    )

    assert response.status_code == 200
    assert not TutorialStep.objects.filter(tutorial=tutorial).exists()


def test_a_video_without_transcript_is_refused(admin_client):
    tutorial = Tutorial.objects.create(slug="essai", title="Essai", summary="Un essai.")
    data = tutorial_form(tutorial, image_alt="")
    data["steps-TOTAL_FORMS"] = "0"
    data["video"] = SimpleUploadedFile("film.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "video/mp4")

    response = admin_client.post(reverse("admin:help_tutorial_change", args=[tutorial.pk]), data)

    assert response.status_code == 200
    assert "transcription" in response.content.decode()
    tutorial.refresh_from_db()
    assert not tutorial.video


@pytest.mark.parametrize("persona", ["citizen", "mediator", "prefecture_admin"])
def test_help_admin_is_refused_to_other_roles(personas, verified_client, persona):
    client = verified_client(personas[persona])
    guide = ProcedureGuide.objects.get(slug="passeport")

    listing = client.get(reverse("admin:help_procedureguide_changelist"))
    edit = client.post(
        reverse("admin:help_procedureguide_change", args=[guide.pk]), guide_form(guide, summary="Pirate")
    )

    assert listing.status_code == 302 and "/login/" in listing["Location"]
    assert edit.status_code == 302
    guide.refresh_from_db()
    assert guide.summary != "Pirate"
    assert not AuditEntry.objects.filter(action="help_content_saved").exists()


def test_platform_admin_without_second_factor_is_refused(client, personas):
    client.force_login(personas["platform_admin"])

    response = client.get(reverse("admin:help_lexiconterm_changelist"))

    assert response.status_code == 302
    assert LexiconTerm.objects.exists()

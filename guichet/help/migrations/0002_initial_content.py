"""Seeds the help content (guides, questions, lexicon, tutorials) so that a fresh database has it.

Idempotent and respectful of edits: existing rows (same slug or anchor) are left as the admins made them, so the
test suite may re-run it after a flush (guichet.testing.reference_data).
"""

from django.db import migrations

from ._content_0002 import GENERAL_FAQ, GUIDES, LEXICON, TUTORIALS


def seed(apps, schema_editor):
    ProcedureGuide = apps.get_model("help", "ProcedureGuide")
    GuideSection = apps.get_model("help", "GuideSection")
    FaqEntry = apps.get_model("help", "FaqEntry")
    LexiconTerm = apps.get_model("help", "LexiconTerm")
    Tutorial = apps.get_model("help", "Tutorial")
    TutorialStep = apps.get_model("help", "TutorialStep")

    for spec in GUIDES:
        fields = {key: value for key, value in spec.items() if key not in ("slug", "sections", "faq")}
        guide, created = ProcedureGuide.objects.get_or_create(slug=spec["slug"], defaults=fields)
        if not created:
            continue
        for position, section in enumerate(spec["sections"], start=1):
            GuideSection.objects.get_or_create(
                guide=guide, anchor=section["anchor"], defaults={**section, "position": position * 10}
            )
        for position, entry in enumerate(spec["faq"], start=1):
            FaqEntry.objects.get_or_create(
                guide=guide, anchor=entry["anchor"], defaults={**entry, "position": position * 10}
            )
    for position, entry in enumerate(GENERAL_FAQ, start=1):
        FaqEntry.objects.get_or_create(
            guide=None, anchor=entry["anchor"], defaults={**entry, "position": position * 10}
        )
    for slug, term, expansion, variants, definition in LEXICON:
        LexiconTerm.objects.get_or_create(
            slug=slug, defaults={"term": term, "expansion": expansion, "variants": variants, "definition": definition}
        )
    for spec in TUTORIALS:
        tutorial, created = Tutorial.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "summary": spec["summary"],
                "position": spec["position"],
                "guide": ProcedureGuide.objects.filter(slug=spec["guide"]).first() if spec["guide"] else None,
            },
        )
        if not created:
            continue
        for position, (title, body, image, alt) in enumerate(spec["steps"], start=1):
            TutorialStep.objects.create(
                tutorial=tutorial, position=position, title=title, body=body, static_image=image, image_alt=alt
            )


def unseed(apps, schema_editor):
    apps.get_model("help", "Tutorial").objects.filter(slug__in=[spec["slug"] for spec in TUTORIALS]).delete()
    apps.get_model("help", "ProcedureGuide").objects.filter(slug__in=[spec["slug"] for spec in GUIDES]).delete()
    apps.get_model("help", "FaqEntry").objects.filter(
        guide__isnull=True, anchor__in=[entry["anchor"] for entry in GENERAL_FAQ]
    ).delete()
    apps.get_model("help", "LexiconTerm").objects.filter(slug__in=[row[0] for row in LEXICON]).delete()


class Migration(migrations.Migration):
    dependencies = [("help", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

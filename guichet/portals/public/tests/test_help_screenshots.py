"""The screenshot command keeps the tutorials' PNG images in step with the seeded content."""

import io

import pytest
from PIL import Image

from guichet.help.models import TutorialStep
from guichet.portals.public.management.commands.help_screenshots import SHOTS, STORED_WIDTH, stored_png


@pytest.mark.django_db
def test_every_seeded_screenshot_is_taken_by_the_command():
    wanted = {
        step.static_image.rsplit("/", 1)[-1]
        for step in TutorialStep.objects.all()
        if step.static_image.endswith(".png")
    }

    assert wanted == {shot.filename for shot in SHOTS}


def test_screenshots_are_stored_small():
    raw = io.BytesIO()
    Image.new("RGB", (1280, 800), (255, 255, 255)).save(raw, format="PNG")

    with Image.open(io.BytesIO(stored_png(raw.getvalue()))) as stored:
        assert stored.size == (STORED_WIDTH, 600)
        assert stored.mode == "P"

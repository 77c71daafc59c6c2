"""Every form shares one renderer, so form templates are compiled once per process, not once per page."""

from dsfr.forms import DsfrBaseForm

from guichet.portals.common.form_renderer import DsfrFormRenderer
from guichet.portals.public.tracking_views import TrackingForm


def test_dsfr_forms_share_one_renderer_and_its_template_engine():
    first, second = TrackingForm(), TrackingForm({"reference": ""})
    assert isinstance(first.renderer, DsfrFormRenderer)
    assert first.renderer is second.renderer
    assert first.renderer.engine is second.renderer.engine


def test_forms_still_render_with_the_dsfr_templates():
    class Form(DsfrBaseForm):
        pass

    form = TrackingForm({"reference": "", "birth_date": "x"})
    form.is_valid()
    html = form.render()
    assert "fr-input-group" in html and "fr-error-text" in html
    assert isinstance(Form().renderer, DsfrFormRenderer)

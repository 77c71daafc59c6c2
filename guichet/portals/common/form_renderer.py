"""One form renderer for the whole process.

django-dsfr's forms otherwise instantiate their renderer for every form, and each instance builds a template
engine with an empty cache: every page showing a form read and compiled its form templates again from disk.
Named in `FORM_RENDERER`, this subclass is built once (Django's `get_default_renderer`), and django-dsfr's forms
use it. Plain Django forms use it too, and so get the DSFR error and option templates.
"""

from dsfr.forms import DsfrDjangoTemplates


class DsfrFormRenderer(DsfrDjangoTemplates):
    """django-dsfr's renderer (DSFR templates first, then Django's), shared by every form."""

from django.urls import path

from . import help_views

# Included at the root by the public portal's URL conf, in its `public` namespace. These addresses are stable:
# ministry and préfecture websites link to them.
urlpatterns = [
    path("demarches/", help_views.catalogue, name="help_catalogue"),
    path("demarches/<slug:slug>/", help_views.guide_detail, name="help_guide"),
    path("demarches/<slug:slug>/questions/", help_views.guide_faq, name="help_guide_faq"),
    path("lexique/", help_views.lexicon, name="help_lexicon"),
    path("aide/", help_views.help_home, name="help_home"),
    path("aide/tutoriels/<slug:slug>/", help_views.tutorial_detail, name="help_tutorial"),
    path("aide/tutoriels/<slug:slug>/video", help_views.tutorial_video, name="help_tutorial_video"),
    path("aide/tutoriels/<slug:slug>/images/<int:step_id>", help_views.tutorial_image, name="help_tutorial_image"),
]

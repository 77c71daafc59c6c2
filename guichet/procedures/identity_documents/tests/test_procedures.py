import pytest

from guichet.core.exceptions import TransitionNotAllowed
from guichet.dossiers.policy import DossierPolicy
from guichet.dossiers.services import dossier_transition
from guichet.procedures.identity_documents.models import PreDemande

from .counter_factories import validated_predemande


def test_a_citizen_cannot_submit_an_identity_dossier_only_the_counter_lodges_it(citizen):
    predemande: PreDemande = validated_predemande(applicant=citizen, titles=("cni",))
    dossier = predemande.titles.get().dossier
    assert not DossierPolicy.abilities(citizen, dossier).get("submit")
    with pytest.raises(TransitionNotAllowed):
        dossier_transition(dossier=dossier, name="submit", actor=citizen)
    dossier.refresh_from_db()
    assert dossier.status == "draft"

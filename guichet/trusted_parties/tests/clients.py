"""A throw-away procedure professionals may file (none is registered today: CNI and passeport are not theirs)."""

from guichet.dossiers.registry import DocumentRule, Procedure
from guichet.trusted_parties.operations import Operation

NEW_VEHICLE = Procedure(
    code="test_new_vehicle_registration",
    label="Immatriculation d'un véhicule neuf (démarche de test)",
    title="carte_grise",
    trusted_party_operation=Operation.NEW_VEHICLE_REGISTRATION,
    documents=(DocumentRule(kind="identity", label="Pièce d'identité", is_identity_document=True, is_required=True),),
)
CLIENT_ADDRESS = {"address": "8 rue de la Monnaie", "postal_code": "35000", "city": "Rennes"}

"""A small generic procedure for tests only: the title apps bring the real ones."""

from guichet.dossiers.registry import DocumentRule, Procedure

TEST_PROCEDURE = Procedure(
    code="test_generic",
    label="Démarche de test",
    title="generic",
    documents=(
        DocumentRule(
            kind="identity",
            label="Pièce d'identité",
            max_bytes=2 * 1024 * 1024,
            is_identity_document=True,
            is_required=True,
        ),
        DocumentRule(
            kind="proof_of_address",
            label="Justificatif de domicile",
            allowed_types=frozenset({"application/pdf"}),
            max_bytes=200 * 1024,
        ),
    ),
)

from django.urls import reverse

from guichet.dossiers.workflow import Status
from guichet.instruction.models import ComplementRequest


def test_instructor_asks_for_a_complement_and_the_citizen_answers_it_online(
    verified_client, client, personas, make_dossier
):
    citizen, instructor = personas["citizen"], personas["instructor"]
    dossier = make_dossier(citizen, "in_instruction", instructor=instructor)

    agent = verified_client(instructor)
    url = reverse("instruction:dossier_transition", args=[dossier.reference, "request_complement"])
    response = agent.post(url, {"version": dossier.version, "reason": "Le justificatif de domicile est illisible."})
    assert response.status_code == 302
    request = ComplementRequest.objects.get(dossier=dossier)
    assert request.reason == "Le justificatif de domicile est illisible." and request.answered_at is None
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_COMPLEMENT

    client.force_login(citizen)
    answer_url = reverse("citizen:dossier_transition", args=[dossier.reference, "provide_complement"])
    page = client.get(answer_url)
    assert page.status_code == 200 and "Votre réponse" in page.content.decode()
    empty = client.post(answer_url, {"version": dossier.version, "message": ""})
    assert empty.status_code == 400  # the form says what is missing; nothing changed
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_COMPLEMENT
    sent = client.post(answer_url, {"version": dossier.version, "message": "Voici une copie lisible, ajoutée ce jour."})
    assert sent.status_code == 302
    request.refresh_from_db()
    dossier.refresh_from_db()
    assert request.answered_at is not None and request.answer_message.startswith("Voici une copie")
    assert request.answered_by == citizen
    assert dossier.status == Status.IN_INSTRUCTION

"""Answers a view serialises itself, byte for byte what ninja would have written for the same data.

ninja validates a view's result against the declared response schema (pydantic, object by object) before
serialising it; for the partner endpoints, which build plain dicts of strings already in the schema's shape and
field order, that validation was most of the CPU of a call (hundreds of slots per `availableTimeSlots` answer).
The schemas stay declared on the operations, so the OpenAPI document is unchanged; the contract tests
(guichet/api/tests) check the bodies.
"""

import json
from typing import Any

from django.http import HttpResponse
from ninja.responses import NinjaJSONEncoder

CONTENT_TYPE = "application/json; charset=utf-8"  # NinjaAPI.get_content_type() of the JSON renderer


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    """`data` rendered as ninja's JSONRenderer does (`json.dumps` with its encoder, default separators)."""
    return HttpResponse(json.dumps(data, cls=NinjaJSONEncoder), status=status, content_type=CONTENT_TYPE)

"""The biometric collection station (dispositif de recueil) behind a small interface.

Guichet never stores fingerprints, face images or signatures: the station sends them to the national title
system itself and gives back identifiers and quality scores, which is all the counter records. In development
and tests a simulated station answers with realistic results; the real driver plugs in through the setting
`GUICHET_COLLECTION_DEVICE` (a dotted path to a class implementing `CollectionDevice`).
"""

import secrets
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_DEVICE = "guichet.procedures.identity_documents.collection_device.SimulatedCollectionDevice"

# Quality scores are NFIQ-like (0–100); below this the capture must be redone.
MINIMUM_QUALITY = 40


@dataclass(frozen=True)
class FingerprintCapture:
    capture_id: str
    fingers: tuple[str, ...]
    quality_scores: tuple[int, ...]

    @property
    def is_acceptable(self) -> bool:
        return bool(self.quality_scores) and min(self.quality_scores) >= MINIMUM_QUALITY


@dataclass(frozen=True)
class PhotoCapture:
    capture_id: str
    width_px: int
    height_px: int
    quality_score: int
    checks: dict[str, bool] = field(default_factory=dict)  # background, expression, framing

    @property
    def is_acceptable(self) -> bool:
        return self.quality_score >= MINIMUM_QUALITY and all(self.checks.values())


@dataclass(frozen=True)
class SignatureCapture:
    capture_id: str
    stroke_count: int

    @property
    def is_acceptable(self) -> bool:
        return self.stroke_count > 0


@dataclass(frozen=True)
class CaptureResult:
    device_id: str
    fingerprints: FingerprintCapture | None
    photo: PhotoCapture
    signature: SignatureCapture

    @property
    def is_acceptable(self) -> bool:
        fingers_ok = self.fingerprints is None or self.fingerprints.is_acceptable
        return fingers_ok and self.photo.is_acceptable and self.signature.is_acceptable

    def as_record(self) -> dict[str, Any]:
        """What the counter keeps: identifiers and scores, JSON-ready."""
        return asdict(self) | {"is_acceptable": self.is_acceptable}


class CollectionDevice(Protocol):
    device_id: str

    def capture_fingerprints(self, *, session_ref: str) -> FingerprintCapture: ...

    def capture_photo(self, *, session_ref: str) -> PhotoCapture: ...

    def capture_signature(self, *, session_ref: str) -> SignatureCapture: ...


class SimulatedCollectionDevice:
    """A station that always works, with scores in the range real ones give for a cooperative applicant."""

    device_id = "SIMULATEUR-01"

    def _capture_id(self, prefix: str, session_ref: str) -> str:
        return f"{prefix}-{session_ref}-{secrets.token_hex(6)}"

    def capture_fingerprints(self, *, session_ref: str) -> FingerprintCapture:
        return FingerprintCapture(
            capture_id=self._capture_id("EMP", session_ref),
            fingers=("right_index", "left_index"),
            quality_scores=(60 + secrets.randbelow(36), 60 + secrets.randbelow(36)),
        )

    def capture_photo(self, *, session_ref: str) -> PhotoCapture:
        return PhotoCapture(
            capture_id=self._capture_id("PHO", session_ref),
            width_px=827,
            height_px=1063,  # 35 × 45 mm at 600 dpi
            quality_score=70 + secrets.randbelow(26),
            checks={"background": True, "expression": True, "framing": True},
        )

    def capture_signature(self, *, session_ref: str) -> SignatureCapture:
        return SignatureCapture(capture_id=self._capture_id("SIG", session_ref), stroke_count=3 + secrets.randbelow(8))


def collection_device() -> CollectionDevice:
    path = getattr(settings, "GUICHET_COLLECTION_DEVICE", DEFAULT_DEVICE)
    device: CollectionDevice = import_string(path)()
    return device


def capture_all(*, device: CollectionDevice, session_ref: str, with_fingerprints: bool) -> CaptureResult:
    return CaptureResult(
        device_id=device.device_id,
        fingerprints=device.capture_fingerprints(session_ref=session_ref) if with_fingerprints else None,
        photo=device.capture_photo(session_ref=session_ref),
        signature=device.capture_signature(session_ref=session_ref),
    )

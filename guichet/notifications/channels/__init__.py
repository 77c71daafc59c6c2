"""Delivery channels. Each raises one of the errors below so the delivery task knows whether to retry.

The `reason` of these errors is stored in `Notification.last_error`: it must never contain personal data
(no address, no phone number, no message text), only a stable technical description.
"""


class DeliveryError(Exception):
    retryable = False

    def __init__(self, reason: str) -> None:
        self.reason = reason[:300]
        super().__init__(self.reason)


class RetryableDeliveryError(DeliveryError):
    """The provider may accept the message later (timeout, 5xx, connection refused)."""

    retryable = True


class PermanentDeliveryError(DeliveryError):
    """Sending again would fail the same way (rejected recipient, 4xx, unknown template)."""

    retryable = False

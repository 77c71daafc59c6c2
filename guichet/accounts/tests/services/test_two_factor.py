from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.errors import TwoFactorCodeRefused, TwoFactorThrottled
from guichet.accounts.models import RecoveryCode
from guichet.accounts.services import (
    RECOVERY_CODE_COUNT,
    recovery_codes_regenerate,
    two_factor_device_start,
    two_factor_disable,
    two_factor_enable,
    two_factor_verify,
)
from guichet.audit.models import AuditAction, AuditEntry
from guichet.core.exceptions import PermissionDenied
from guichet.testing.personas import current_totp_code


def _unthrottle(user):
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=timezone.now() - timedelta(hours=1))


def _enable(user):
    device = two_factor_device_start(user=user)
    return device, two_factor_enable(user=user, device=device, token=current_totp_code(device.key))


@pytest.mark.django_db
def test_enable_gives_ten_distinct_recovery_codes_stored_only_as_digests(citizen):
    device, codes = _enable(citizen)
    assert len(codes) == RECOVERY_CODE_COUNT == len(set(codes))
    stored = list(RecoveryCode.objects.filter(user=citizen).values_list("code_digest", flat=True))
    assert len(stored) == RECOVERY_CODE_COUNT
    assert not any(code in digest or code.replace("-", "") in digest for code in codes for digest in stored)
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_ENABLED, subject_user_id=citizen.pk).exists()


@pytest.mark.django_db
def test_enable_refuses_a_wrong_first_code(citizen):
    device = two_factor_device_start(user=citizen)
    with pytest.raises(TwoFactorCodeRefused):
        two_factor_enable(
            user=citizen, device=device, token="000000" if current_totp_code(device.key) != "000000" else "111111"
        )
    device.refresh_from_db()
    assert not device.confirmed
    assert device.throttling_failure_count == 1  # kept although the call failed


@pytest.mark.django_db
def test_a_totp_code_is_accepted_once_and_refused_when_replayed(personas):
    agent = personas["instructor"]
    code = current_totp_code()
    assert two_factor_verify(user=agent, token=code).used_recovery_code is False
    _unthrottle(agent)
    with pytest.raises(TwoFactorCodeRefused):
        two_factor_verify(user=agent, token=code)
    assert AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_FAILED, subject_user_id=agent.pk).exists()


@pytest.mark.django_db
def test_wrong_codes_are_throttled_with_a_waiting_time(personas):
    agent = personas["instructor"]
    wrong = "123456" if current_totp_code() != "123456" else "654321"
    with pytest.raises(TwoFactorCodeRefused):
        two_factor_verify(user=agent, token=wrong)
    with pytest.raises(TwoFactorThrottled) as caught:
        two_factor_verify(user=agent, token=current_totp_code())  # even the right code must wait
    wait_seconds = caught.value.details["wait_seconds"]
    assert isinstance(wait_seconds, int)
    assert wait_seconds >= 1
    assert "secondes" in caught.value.message
    _unthrottle(agent)
    assert two_factor_verify(user=agent, token=current_totp_code())


@pytest.mark.django_db
def test_recovery_code_works_once_in_any_case_or_spacing(citizen):
    _device, codes = _enable(citizen)
    result = two_factor_verify(user=citizen, token=codes[0].lower().replace("-", " "))
    assert result.used_recovery_code and result.recovery_codes_left == RECOVERY_CODE_COUNT - 1
    assert AuditEntry.objects.filter(action=AuditAction.RECOVERY_CODE_USED, subject_user_id=citizen.pk).exists()
    _unthrottle(citizen)
    with pytest.raises(TwoFactorCodeRefused):
        two_factor_verify(user=citizen, token=codes[0])


@pytest.mark.django_db
def test_regenerating_recovery_codes_invalidates_the_old_ones(citizen):
    _device, old_codes = _enable(citizen)
    new_codes = recovery_codes_regenerate(user=citizen, actor=citizen)
    assert not set(old_codes) & set(new_codes)
    with pytest.raises(TwoFactorCodeRefused):
        two_factor_verify(user=citizen, token=old_codes[1])
    _unthrottle(citizen)
    assert two_factor_verify(user=citizen, token=new_codes[1]).used_recovery_code


@pytest.mark.django_db
def test_citizen_may_disable_but_agents_may_not(personas):
    citizen = personas["citizen"]
    _enable(citizen)
    two_factor_disable(user=citizen, actor=citizen)
    assert not TOTPDevice.objects.filter(user=citizen).exists()
    assert not RecoveryCode.objects.filter(user=citizen).exists()
    with pytest.raises(PermissionDenied):
        two_factor_disable(user=personas["mairie_agent"], actor=personas["mairie_agent"])
    assert TOTPDevice.objects.filter(user=personas["mairie_agent"], confirmed=True).exists()

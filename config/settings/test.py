import os

from .base import *  # noqa: F403
from .base import BASE_DIR, CONTENT_SECURITY_POLICY, DATABASES

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; prod uses argon2
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
GUICHET_SMS_PROVIDER = "guichet.notifications.channels.sms.MemorySmsProvider"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / str(os.getpid())
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY
ALLOWED_HOSTS = ["*"]

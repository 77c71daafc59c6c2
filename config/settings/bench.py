"""Benchmark settings (bench/): production settings as they are, minus what needs the TLS proxy in front.

The load generator speaks plain HTTP to gunicorn on the loopback, so secure-only cookies and the HTTPS redirect
are off; everything else (DEBUG off, argon2, middleware, templates, logging) is what production runs. Adds the
baseline view's URL (bench/urls.py), which production never mounts.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-secret-key-not-for-production-" + "0123456789abcdef" * 3)
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")

from .prod import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
SECURE_HSTS_SECONDS = 0
# Every simulated citizen comes from 127.0.0.1: the per-address tracking allowance would stop them all at once.
GUICHET_TRACKING_MAX_ATTEMPTS = int(os.environ.get("GUICHET_TRACKING_MAX_ATTEMPTS", "1000000000"))
# The robustness scripts shorten the lease after which a crashed worker's notifications are handed out again.
GUICHET_NOTIFICATION_SENDING_LEASE_SECONDS = int(os.environ.get("GUICHET_NOTIFICATION_SENDING_LEASE_SECONDS", "900"))

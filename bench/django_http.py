"""The scenarios' Http adapter over Django's test client (CSRF checks on, as in production).

Used by the suite's smoke test (tests/bench/test_bench_smoke.py) and by the in-process profiler (bench/profile.py).
"""

from django.test import Client

from . import scenarios


class DjangoHttp:
    def __init__(self, *, strict: bool = True) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.calls: list[tuple[str, int]] = []
        self.strict = strict  # the smoke test fails on an unexpected status; the profiler only records it

    def _reply(self, name: str, response, expect) -> scenarios.Reply:
        self.calls.append((name, response.status_code))
        if self.strict:
            assert response.status_code in expect, f"{name}: {response.status_code}"
        return scenarios.Reply(
            status=response.status_code,
            text=response.content.decode() if response.status_code == 200 else "",
            location=response.get("Location", ""),
        )

    def get(self, path, *, name, headers=None, expect=(200,)):
        return self._reply(name, self.client.get(path, headers=headers or {}), expect)

    def post(self, path, *, name, fields, expect=(302,)):
        return self._reply(name, self.client.post(path, data=fields), expect)

    def clear_cookies(self) -> None:
        self.client.cookies.clear()

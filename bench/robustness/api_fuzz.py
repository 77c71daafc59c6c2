"""schemathesis against the OpenAPI document of the machine APIs, served by gunicorn on PostgreSQL with the
benchmark's tokens: at least 10,000 generated cases, and not one server error.

`python -m bench.robustness.api_fuzz [--max-examples 2000]`.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

from .common import PORT, database_url, ensure_dataset, gunicorn, var_path, verdict

MINIMUM_CASES = 10_000
GENERATED = re.compile(r"(\d+) generated")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-examples", type=int, default=800, help="per operation and phase")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    url = database_url()
    fixtures = ensure_dataset(url)
    log = var_path("schemathesis.log")
    with gunicorn(url, log_name="api-fuzz"):
        command = [
            str(Path(sys.executable).parent / "schemathesis"),
            "run",
            f"http://127.0.0.1:{PORT}/api/openapi.json",
            "--checks",
            "not_a_server_error",
            "-H",
            f"x-rdv-opt-auth-token: {fixtures['editor_token']}",
            "-H",
            f"X-HUB-RDV-AUTH-TOKEN: {fixtures['hub_token']}",
            "--max-examples",
            str(args.max_examples),
            "--seed",
            str(args.seed),
            "--workers",
            "4",
            "--continue-on-failure",
            "--no-color",
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    output = done.stdout + done.stderr
    log.write_text(output, encoding="utf-8")
    counts = [int(n) for n in GENERATED.findall(output)]
    generated = counts[-1] if counts else 0
    server_errors = output.count("Server error")
    passed = done.returncode == 0 and generated >= MINIMUM_CASES
    summary = next((line.strip() for line in reversed(output.splitlines()) if "generated" in line), "no summary")
    return verdict(
        passed,
        f"schemathesis: {summary}; exit {done.returncode}; server-error mentions: {server_errors}; "
        f"full output in {log}",
    )


if __name__ == "__main__":
    sys.exit(main())

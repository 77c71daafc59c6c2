#!/usr/bin/env bash
# Starts the task worker and the web server together; stopping one (Ctrl-C) stops both.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
py=.venv/bin/python
"$py" manage.py demo_accounts
"$py" manage.py db_worker --queue-name default &
worker=$!
# Periodic jobs: lost notifications, simulated title production, reminders, expirations, purge.
"$py" manage.py run_scheduler >/dev/null &
dispatcher=$!
trap 'kill $worker $dispatcher 2>/dev/null || true' EXIT INT TERM
echo "Guichet: http://$host:$port/  (task worker pid $worker)"
"$py" manage.py runserver --noreload "$host:$port"

#!/usr/bin/env bash
# Starts the task worker and the web server together; stopping one (Ctrl-C) stops both.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
py=.venv/bin/python
"$py" manage.py demo_accounts
"$py" manage.py db_worker --queue-name default &
worker=$!
# Re-sends notifications whose task was lost (a crashed worker), once a minute.
"$py" manage.py notifications_dispatch_due --every 60 >/dev/null &
dispatcher=$!
trap 'kill $worker $dispatcher 2>/dev/null || true' EXIT INT TERM
echo "Guichet: http://$host:$port/  (task worker pid $worker)"
"$py" manage.py runserver --noreload "$host:$port"

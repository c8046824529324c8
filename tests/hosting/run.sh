#!/usr/bin/env bash
# Hosting suite: the example site built for a sub-path, served by nginx on
# loopback the way the README's deployment section says, then crawled:
# every internal link answers 200, a missing page answers 404 with the
# site's 404 page, and every HTML page is valid HTML (when the validator is
# available). Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "hosting suite: nginx not found (CI installs it)"; echo "0 passed, 1 failed"; exit 1
  fi
  echo "hosting suite skipped: nginx not found"; exit 0
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
trap '[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT

cargo run --quiet --release -- build --output "$work/site" --base-url "https://example.org/guide/" >/dev/null || {
  echo "hosting suite: build failed"; echo "0 passed, 1 failed"; exit 1; }

chmod -R a+rX "$work"  # nginx workers run as an unprivileged user
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/logs"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path $work/logs;
  proxy_temp_path $work/logs;
  fastcgi_temp_path $work/logs;
  uwsgi_temp_path $work/logs;
  scgi_temp_path $work/logs;
  server {
    listen 127.0.0.1:$port;
    server_name localhost;
    location /guide/ {
      alias $work/site/;
      index index.html;
      try_files \$uri \$uri/ =404;
    }
    error_page 404 /guide/404.html;
  }
}
CONF
"$NGINX" -c "$work/nginx.conf" -p "$work" -e "$work/logs/error.log" || { echo "hosting suite: nginx did not start"; echo "0 passed, 1 failed"; exit 1; }

python3 tests/hosting/crawl.py "http://127.0.0.1:$port/guide/" "$work/site"

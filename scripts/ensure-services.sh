#!/usr/bin/env bash
# Makes sure the MariaDB the integration tests use is up on 127.0.0.1:3306; starts it when it is installed but down.
set -euo pipefail
url="${MYSQL_URL:-mysql://root@127.0.0.1:3306}"
ping() { mysqladmin --protocol=tcp -h127.0.0.1 -P3306 -uroot ping >/dev/null 2>&1; }
if ping; then exit 0; fi
if [ -x /usr/sbin/mariadbd ]; then
  echo "ensure-services: MariaDB is down; starting it"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do ping && exit 0; sleep 0.5; done
fi
echo "ensure-services: MariaDB is not reachable at ${url}; the MariaDB half of the tests needs it (or set DIALECTS=sqlite)" >&2
exit 1

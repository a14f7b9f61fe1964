"""The container's health check: `python -m config.healthcheck` exits 0 when the service
answers GET /healthz with 200 on its own port, 1 otherwise.

It asks as the reverse proxy would, with a host name the service accepts (the first real
one in ALLOWED_HOSTS) and `X-Forwarded-Proto: https`, so neither the host check nor the
HTTPS redirect turns it away. Standard library only: it must not start Django.
"""

import http.client
import os
import sys


def main() -> int:
    port = int(os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[1])
    hosts = [h.strip().lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",")]
    host = next((h for h in hosts if h.strip("*")), "localhost")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"})
        status = connection.getresponse().status
    except OSError as error:
        print(f"healthcheck: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if status != 200:
        print(f"healthcheck: /healthz answered {status}", file=sys.stderr)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())

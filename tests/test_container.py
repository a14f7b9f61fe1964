"""The container (Dockerfile, compose.yaml) and gunicorn's configuration.

Docker cannot build or run here, so these read the files as Docker would and run what
the container runs: the settings its environment makes must pass `manage.py check
--deploy`, and gunicorn started with config/gunicorn.conf.py must answer the health
check and the sign-in page.
"""

import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
# What an operator's .env gives compose.yaml.
DOT_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-for-the-container-0123456789abcdef",
    "ALLOWED_HOSTS": "prebirth.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://prebirth.example.org",
    "POSTGRES_PASSWORD": "a-database-password",
}


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def dockerfile_env() -> dict[str, str]:
    env = {}
    for instruction, arguments in dockerfile():
        if instruction == "ENV":
            env.update(part.split("=", 1) for part in shlex.split(arguments))
    return env


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def interpolate(value: str, variables: dict[str, str]) -> str:
    """compose's ${NAME}, ${NAME:-default} and ${NAME:?error}."""

    def one(match):
        name, operator, rest = match.group(1), match.group(2), match.group(3)
        if variables.get(name):
            return variables[name]
        if operator == ":?":
            raise AssertionError(f"compose needs {name}: {rest}")
        return rest if operator == ":-" else ""

    return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", one, str(value))


def container_environment(service: str, var_dir: Path) -> dict[str, str]:
    """The environment the service's container runs with: the image's ENV, then
    compose's, with the image's paths moved under `var_dir` (this machine has no /app)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k in {"PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT", "VIRTUAL_ENV"}
    }
    env.update(dockerfile_env())
    declared = compose()["services"][service]["environment"]
    env.update({name: interpolate(value, DOT_ENV) for name, value in declared.items()})
    env["PREBIRTH_VAR_DIR"] = str(var_dir)
    env["DOCUMENTS_ROOT"] = str(var_dir / "documents")
    env["HOME"] = env["XDG_CACHE_HOME"] = str(var_dir / "tmp")
    return env


def test_the_image_is_built_as_the_brief_for_production_asks():
    steps = dockerfile()
    instructions = [instruction for instruction, _ in steps]
    arguments = dict(steps[::-1])  # the first of each

    assert arguments["FROM"].startswith("python:3.11-slim")
    user = [args for instruction, args in steps if instruction == "USER"]
    assert user and not user[-1].startswith(("root", "0")), "the service must not run as root"
    assert instructions.index("USER") > max(
        i for i, instruction in enumerate(instructions) if instruction == "RUN"
    ), "every build step runs before the switch to the service's user"
    assert any("collectstatic --noinput" in args for i, args in steps if i == "RUN")
    assert "config.healthcheck" in arguments["HEALTHCHECK"]
    assert arguments["CMD"] == '["gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi"]'
    assert dockerfile_env()["DJANGO_ENV"] == "production"


def test_the_image_has_the_libraries_ci_installs_for_weasyprint_and_the_postgres_client():
    listed = re.search(r'WEASYPRINT_LIBS="([^"]+)"', (ROOT / ".ci" / "run").read_text())
    installs = " ".join(args for instruction, args in dockerfile() if instruction == "RUN")

    for package in [*listed.group(1).split(), "postgresql-client"]:
        assert re.search(rf"(?<![\w.-]){re.escape(package)}(?![\w.-])", installs), package


def test_compose_runs_the_service_read_only_after_its_migrations_with_a_scanner():
    services = compose()["services"]

    assert set(services) >= {"db", "clamd", "migrate", "app"}
    assert services["db"]["image"].startswith("postgres:15")
    app = services["app"]
    assert app["read_only"] is True
    assert any(mount.split(":")[0] == "/tmp" for mount in app["tmpfs"])  # noqa: S108
    mounted = {volume.split(":")[1] for volume in app["volumes"]}
    assert app["environment"]["DOCUMENTS_ROOT"] in mounted
    assert app["environment"]["DOCUMENTS_SCANNER"] == "tcp://clamd:3310"
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert services["migrate"]["environment"] == app["environment"]
    # Everything the image writes to at run time is a volume or in memory.
    writable = {dockerfile_env()["DOCUMENTS_ROOT"], "/backups"}
    assert writable <= mounted


def test_the_settings_the_container_runs_with_pass_the_deployment_checks(tmp_path):
    env = container_environment("app", tmp_path)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, **headers) -> tuple[int, str, str | None]:
    """Status, body and Set-Cookie of a GET, redirects not followed."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": "prebirth.example.org", **headers}
    )

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(), response.headers["Set-Cookie"]
    except urllib.error.HTTPError as error:
        return error.code, "", error.headers["Set-Cookie"]


@pytest.mark.skipif(not GUNICORN.exists(), reason=f"gunicorn not installed at {GUNICORN}")
def test_gunicorn_with_its_config_serves_the_health_check_and_the_sign_in_page(tmp_path):
    port = _free_port()
    env = container_environment("app", tmp_path)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prebirth.sqlite3'}",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "1",
        }
    )
    # As at build: static files collected, then the migrations (compose's migrate step).
    for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=300)  # fmt: skip
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [str(GUNICORN), "--config", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        # The image's own health check, until it passes (gunicorn takes a moment).
        deadline = time.monotonic() + 60
        while True:
            healthy = subprocess.run([sys.executable, "-m", "config.healthcheck"], cwd=ROOT,
                                     env=env, capture_output=True, check=False)  # fmt: skip
            if healthy.returncode == 0 or time.monotonic() > deadline or server.poll() is not None:
                break
            time.sleep(0.5)
        assert healthy.returncode == 0, healthy.stderr + Path(log.name).read_bytes()

        # A load balancer asking over plain HTTP is answered, not redirected, and given
        # no cookie…
        assert _get(port, "/healthz?who=someone") == (200, '{"status": "ok"}', None)
        # …any other page is sent to HTTPS, unless the proxy says it came over HTTPS.
        assert _get(port, "/sign-in/")[0] == 301
        status, page, _cookie = _get(port, "/sign-in/", **{"X-Forwarded-Proto": "https"})
        assert status == 200
        assert "Sign in" in page
        # A host name the service does not serve is refused.
        assert _get(port, "/healthz", Host="elsewhere.example.com")[0] == 400
    finally:
        server.terminate()
        server.wait(timeout=30)
    logged = Path(log.name).read_text()
    assert '"GET /healthz"' in logged
    assert "who=someone" not in logged, "the access log must not keep query strings"
    assert server.returncode == 0, logged[-2000:]

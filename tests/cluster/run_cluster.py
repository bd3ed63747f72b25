"""`make test-cluster`: Podium on several machines, built on this one, and seven checks through nginx.

Nothing is shared on disk between the nodes. The cluster:

- a throwaway PostgreSQL database (``podium_cluster_<random>``, dropped at the end) and one Redis
  database (``CLUSTER_REDIS_URL``, default db 5, flushed at start and end);
- an S3 API server: moto's standalone server (``python -m moto.server``), two buckets (public
  media, private files); boto3 speaks real S3 over HTTP to it;
- two web nodes, ``podium serve --no-worker``, each in its own working folder and port;
- two worker nodes, ``podium worker``, each in its own folder;
- an SMTP sink (aiosmtpd, in this process) that counts messages per recipient;
- nginx from ``deploy/nginx.conf`` with only its marked lines adapted, balancing over both web
  nodes; its access log (written by the harness's own http block) names the node that answered.

This process prepares the data through Podium's own services (Django set up with the cluster's
environment), then acts only through nginx like a browser would. It prints one line per check,
PASS or FAIL, a summary line, and exits non-zero on any FAIL. Every wait is bounded in time and
count, and every process it started is stopped at the end.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlparse

import requests
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))  # this checkout's Podium, in the harness as in the nodes
PY = sys.executable
PG_ADMIN_URL = os.environ.get("CLUSTER_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/5")
PASSWORD = "cluster-wachtwoord-2026"
SUBSCRIBERS = int(os.environ.get("CLUSTER_SUBSCRIBERS", "5000"))
READERS = 100
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TIMEOUT = 10  # seconds for any one HTTP request


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, test: Callable[[], bool], *, seconds: float, step: float = 0.2) -> None:
    deadline = time.monotonic() + seconds
    for _ in range(int(seconds / step) + 2):
        try:
            if test():
                return
        except Exception:  # noqa: S110 - not up yet; the deadline decides
            pass
        if time.monotonic() > deadline:
            break
        time.sleep(step)
    raise RuntimeError(f"{what} not ready within {seconds:.0f} s")


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
        return True
    return False


# --- The SMTP sink --------------------------------------------------------------------------


class Sink:
    """aiosmtpd handler: counts accepted messages per recipient."""

    def __init__(self) -> None:
        self.per_recipient: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.per_recipient[rcpt.lower()] += 1
        return "250 OK"

    def snapshot(self) -> Counter[str]:
        with self.lock:
            return Counter(self.per_recipient)


# --- Processes -----------------------------------------------------------------------------


class Processes:
    def __init__(self) -> None:
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, argv: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        out = (cwd / f"{name}.log").open("wb")
        self.running[name] = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.running[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)

    def stop_all(self) -> None:
        for proc in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in self.running.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        for proc in self.running.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=5)
            # A node's children (gunicorn workers) share its process group: make sure none is left.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)


# --- A browser through nginx, from a chosen source address ----------------------------------


class SourceAdapter(HTTPAdapter):
    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


class Browser:
    def __init__(self, base: str, source: str = "127.0.0.1") -> None:
        self.base = base
        self.session = requests.Session()
        adapter = SourceAdapter(source)
        self.session.mount("http://", adapter)

    def tag(self) -> str:
        return secrets.token_hex(6)

    def get(self, path: str, *, tag: str = "", **kwargs: Any) -> requests.Response:
        headers = {"X-Cluster-Check": tag} if tag else {}
        return self.session.get(
            urljoin(self.base, path), headers=headers, timeout=TIMEOUT, **kwargs
        )

    def post(
        self, path: str, data: dict[str, Any], *, tag: str = "", **kwargs: Any
    ) -> requests.Response:
        token = self.session.cookies.get("csrftoken") or ""
        headers = {"X-CSRFToken": token, "Referer": urljoin(self.base, path)}
        if tag:
            headers["X-Cluster-Check"] = tag
        return self.session.post(
            urljoin(self.base, path),
            data={"csrfmiddlewaretoken": token, **data},
            headers=headers,
            timeout=TIMEOUT,
            allow_redirects=False,
            **kwargs,
        )

    def csrf(self, path: str) -> None:
        """Load a form page so the CSRF cookie is set."""
        self.get(path)

    def sign_in(self, email: str, password: str = PASSWORD) -> bool:
        self.csrf("/account/login/")
        response = self.post("/account/login/", {"login": email, "password": password})
        return response.status_code == 302 and "sessionid" in self.session.cookies


class AccessLog:
    """nginx's access log in the harness's format: tag, upstream address, status, path."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def upstreams(self, tag: str) -> list[tuple[str, int]]:
        found = []
        if not self.path.exists():
            return found
        for line in self.path.read_text(errors="replace").splitlines():
            parts = line.split(" ")
            if len(parts) >= 3 and parts[0] == tag:
                found.append((parts[1], int(parts[2]) if parts[2].isdigit() else 0))
        return found

    def upstream(self, tag: str, *, seconds: float = 2.0) -> str:
        """The node that answered the request tagged `tag` (nginx writes the line at its end)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            hits = self.upstreams(tag)
            if hits:
                return hits[-1][0]
            time.sleep(0.05)
        return ""


# --- The cluster ---------------------------------------------------------------------------


class Cluster:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.procs = Processes()
        self.db_name = f"podium_cluster_{secrets.token_hex(4)}"
        self.s3_port = free_port()
        self.smtp_port = free_port()
        self.nginx_port = free_port()
        self.web_ports = {"web-a": free_port(), "web-b": free_port()}
        self.base = f"http://127.0.0.1:{self.nginx_port}"
        self.sink = Sink()
        self.controller: Any = None
        self.nginx: subprocess.Popen[bytes] | None = None
        self.access = AccessLog(work / "nginx" / "access.log")
        self.env: dict[str, str] = {}

    # -- services --

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db_name}"')

    def drop_database(self) -> None:
        import psycopg

        with psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    def flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()

    def start_object_store(self) -> None:
        folder = self.work / "s3"
        folder.mkdir()
        env = {**os.environ, "AWS_ACCESS_KEY_ID": "cluster", "AWS_SECRET_ACCESS_KEY": "cluster"}
        self.procs.start(
            "moto",
            [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.s3_port)],
            cwd=folder,
            env=env,
        )
        wait_for("moto server", lambda: port_open(self.s3_port), seconds=60)
        s3 = self.s3()
        for bucket in ("podium-public", "podium-private"):
            s3.create_bucket(Bucket=bucket)

    def s3(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{self.s3_port}",
            region_name="us-east-1",
            aws_access_key_id="cluster",
            aws_secret_access_key="cluster",
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def start_sink(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.smtp_port)
        self.controller.start()

    def environment(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DJANGO_"))}
        return {
            **base,
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "podium.settings",
            "SECRET_KEY": "cluster-" + secrets.token_urlsafe(40),
            "DATABASE_URL": f"{PG_ADMIN_URL}/{self.db_name}",
            "REDIS_URL": REDIS_URL,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.base,
            "CSRF_TRUSTED_ORIGINS": self.base,
            "PODIUM_TRUSTED_PROXIES": "127.0.0.1/32",
            "PODIUM_STORAGE": "s3",
            "PODIUM_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.s3_port}",
            "PODIUM_S3_REGION": "us-east-1",
            "PODIUM_S3_ACCESS_KEY_ID": "cluster",
            "PODIUM_S3_SECRET_ACCESS_KEY": "cluster",
            "PODIUM_S3_ADDRESSING_STYLE": "path",
            "PODIUM_S3_PUBLIC_BUCKET": "podium-public",
            "PODIUM_S3_PRIVATE_BUCKET": "podium-private",
            "PODIUM_MEDIA_BASE_URL": "/media/",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "NEWSLETTER_FROM_EMAIL": "Podium <nieuwsbrief@podium.example>",
            "NEWSLETTER_BATCH_SIZE": "200",
            "NEWSLETTER_LEASE_SECONDS": "30",
            # Editors sign in with a password only here: the cluster tests machines, not MFA.
            "PODIUM_STAFF_MFA_REQUIRED": "0",
            "LOG_LEVEL": "WARNING",
        }

    def check_recipe(self) -> None:
        """The nodes run with the variables of deploy/podium.env (the production recipe), plus
        only what a one-machine cluster needs on top."""
        recipe = {
            line.split("=", 1)[0].lstrip("# ").strip()
            for line in (ROOT / "deploy" / "podium.env").read_text().splitlines()
            if "=" in line and re.match(r"^#? ?[A-Z][A-Z0-9_]*=", line)
        }
        harness_only = {
            "PYTHONPATH",
            "DJANGO_SETTINGS_MODULE",
            "PODIUM_STAFF_MFA_REQUIRED",
            "NEWSLETTER_BATCH_SIZE",
            "NEWSLETTER_LEASE_SECONDS",
            "LOG_LEVEL",
        }
        ours = {k for k in self.env if k not in os.environ or os.environ[k] != self.env[k]}
        unknown = sorted(ours - recipe - harness_only)
        if unknown:
            raise RuntimeError(f"deploy/podium.env does not list {unknown}")
        missing = sorted(recipe - set(self.env) - {"BEHIND_PROXY", "WEB_CONCURRENCY"})
        missing = [k for k in missing if not k.startswith(("EMAIL_HOST_", "EMAIL_USE_"))]
        missing = [k for k in missing if k != "DEFAULT_FROM_EMAIL"]
        if missing:
            raise RuntimeError(f"the cluster does not set {missing} from deploy/podium.env")

    def node_env(self, name: str) -> dict[str, str]:
        folder = self.work / name
        return {
            **self.env,
            "PODIUM_VAR_DIR": str(folder / "var"),
            "STATIC_ROOT": str(folder / "static"),
            "TMPDIR": str(folder / "tmp"),  # copies of stored files for the PDF renderer
        }

    def start_nodes(self) -> None:
        for name in ("web-a", "web-b", "worker-1", "worker-2", "nginx"):
            (self.work / name / "tmp").mkdir(parents=True)
        # Static files: collected once (compressing them is the slow part), then each web node
        # and nginx get their own copy, as each machine would from the same release.
        collected = self.work / "static-release"
        result = subprocess.run(
            [PY, "-m", "podium", "collectstatic", "--noinput", "-v0"],
            cwd=self.work,
            env={**self.env, "STATIC_ROOT": str(collected), "PODIUM_VAR_DIR": str(collected)},
            check=False,
            timeout=600,
        )
        if result.returncode:
            raise RuntimeError("collectstatic failed")
        for name in (*self.web_ports, "nginx"):
            shutil.copytree(collected, self.work / name / "static", dirs_exist_ok=True)
        for name, port in self.web_ports.items():
            self.procs.start(
                name,
                [PY, "-m", "podium", "serve", "--no-worker", "--port", str(port), "--workers", "2"],
                cwd=self.work / name,
                env=self.node_env(name),
            )
        for name in ("worker-1", "worker-2"):
            self.procs.start(
                name,
                [PY, "-m", "podium", "worker", "--worker-id", name, "--interval", "0.2"],
                cwd=self.work / name,
                env=self.node_env(name),
            )
        for name, port in self.web_ports.items():
            wait_for(
                f"{name} health",
                lambda port=port: (
                    requests.get(f"http://127.0.0.1:{port}/gezondheid/", timeout=5).status_code
                    == 200
                ),
                seconds=120,
                step=0.5,
            )

    def start_nginx(self) -> None:
        folder = self.work / "nginx"
        folder.chmod(0o755)
        conf = (ROOT / "deploy" / "nginx.conf").read_text()
        a, b = self.web_ports["web-a"], self.web_ports["web-b"]
        marked = {
            "(1)": ("/var/cache/nginx/podium", str(folder / "cache")),
            "(2)": ("server 127.0.0.1:8000;", f"server 127.0.0.1:{a};\n    server 127.0.0.1:{b};"),
            "(3)": ("listen 80;", f"listen 127.0.0.1:{self.nginx_port};"),
            "(4)": ("/srv/podium/var/static/", f"{folder / 'static'}/"),
            "(5)": ("http://127.0.0.1:9000/", f"http://127.0.0.1:{self.s3_port}/"),
        }
        lines = conf.splitlines()
        for mark, (old, new) in marked.items():
            hits = [i for i, line in enumerate(lines) if f"# {mark}" in line]
            if len(hits) != 1 or old not in lines[hits[0]]:
                raise RuntimeError(f"deploy/nginx.conf: marked line {mark} not as expected")
            lines[hits[0]] = lines[hits[0]].replace(old, new)
        (folder / "podium.conf").write_text("\n".join(lines) + "\n")
        (folder / "nginx.conf").write_text(
            f"""worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    log_format cluster '$http_x_cluster_check $upstream_addr $status $request_uri';
    access_log {folder}/access.log cluster;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    include {folder}/podium.conf;
}}
"""
        )
        self.nginx = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=(folder / "stderr.log").open("wb"),
            start_new_session=True,
        )
        wait_for(
            "nginx",
            lambda: requests.get(f"{self.base}/gezondheid/", timeout=5).status_code == 200,
            seconds=30,
        )

    def up(self) -> None:
        self.flush_redis()
        self.create_database()
        self.start_object_store()
        self.start_sink()
        self.env = self.environment()
        self.check_recipe()
        os.environ.update(self.env)
        os.environ["PODIUM_VAR_DIR"] = str(self.work / "harness")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        self.start_nodes()
        self.start_nginx()

    def down(self) -> None:
        if self.nginx and self.nginx.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.nginx.pid, signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.nginx.pid, signal.SIGKILL)
                self.nginx.wait(timeout=5)
        self.procs.stop_all()
        if self.controller is not None:
            with contextlib.suppress(Exception):
                self.controller.stop()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with contextlib.suppress(Exception):
            self.drop_database()
        with contextlib.suppress(Exception):
            self.flush_redis()


# --- Data, made through Podium's own services -----------------------------------------------


def make_member(email: str, name: str, *, editor: bool = False) -> Any:
    from django.utils.text import slugify

    from podium.accounts import roles
    from podium.accounts.models import User

    user = User.objects.create_user(
        email,
        PASSWORD,
        display_name=name,
        slug=slugify(name),
        bio=f"{name} schrijft over werk en organisaties.",
        job_title="Adviseur",
        organisation="Cluster & Co",
        role=roles.EDITORS if editor else roles.Role.CONTRIBUTOR,
    )
    user.emailaddress_set.create(email=email, verified=True, primary=True)
    return user


def sample_jpeg(seed: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (400, 400), (30 + seed * 40 % 200, 90, 160)).save(out, "JPEG")
    return out.getvalue()


BODY = (
    "<p>De arbeidsmarkt verandert sneller dan onze organisaties. Wie vandaag talent zoekt, moet "
    "anders kijken naar werk, naar teams en naar de plek waar dat werk gebeurt.</p>"
    "<h2>Wat betekent dit voor uw team?</h2>"
    "<p>Teams die leren, winnen. Teams die wachten, verliezen hun beste mensen aan de buren. "
    "Dat vraagt leiderschap dat ruimte geeft en richting houdt.</p>"
)


def write_article(author: Any, title: str, *, submit: bool) -> Any:
    from podium.articles import services
    from podium.articles.services import ArticleText
    from podium.articles.terms import Terms, current_licence
    from podium.topics.models import Topic

    topic, _ = Topic.objects.get_or_create(name="Werk", defaults={"slug": "werk"})
    article = services.save_draft(
        by=author,
        text=ArticleText(
            title=title,
            lead="Wie vandaag talent zoekt, moet anders kijken naar werk.",
            body=BODY,
            topics=[topic],
        ),
    )
    if submit:
        statement = Terms(True, current_licence().version, "none")
        article = services.submit_article(article=article, by=author, terms=statement)
    return article


# --- The checks ---------------------------------------------------------------------------


class Failed(Exception):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


def node_name(cluster: Cluster, upstream: str) -> str:
    for name, port in cluster.web_ports.items():
        if upstream.endswith(f":{port}"):
            return name
    return upstream or "?"


def profile_fields(user: Any) -> dict[str, str]:
    fields = ("display_name", "job_title", "organisation", "bio", "website", "linkedin")
    return {name: getattr(user, name) or "" for name in fields}


def check_photo(cluster: Cluster, data: dict[str, Any]) -> str:
    """1. A photo uploaded through one node shows on the author page rendered by the other."""
    author = data["author"]
    browser = Browser(cluster.base)
    expect(browser.sign_in(author.email), "the contributor could not sign in")
    browser.csrf("/profiel/")
    tag = browser.tag()
    response = browser.post(
        "/profiel/",
        profile_fields(author),
        files={"photo": ("portret.jpg", sample_jpeg(1), "image/jpeg")},
        tag=tag,
    )
    expect(response.status_code == 302, f"upload answered {response.status_code}")
    uploader = node_name(cluster, cluster.access.upstream(tag))
    other = "web-b" if uploader == "web-a" else "web-a"
    # The author page as the other node renders it (signed-in: never a cached copy).
    for _ in range(10):
        tag = browser.tag()
        page = browser.get(f"/auteurs/{author.slug}/", tag=tag)
        if node_name(cluster, cluster.access.upstream(tag)) == other:
            break
    else:
        raise Failed(f"no author page from {other} in 10 tries")
    expect(page.status_code == 200, f"author page answered {page.status_code}")
    found = re.search(r'<img src="(/fotos/[^"]+)"[^>]*class="author-photo large"', page.text)
    expect(found is not None, "the author page shows no photo")
    assert found is not None
    image = Browser(cluster.base).get(found.group(1))  # an anonymous reader
    expect(image.status_code == 200, f"the photo answered {image.status_code}")
    expect(image.content[:2] == b"\xff\xd8", "the photo is not a JPEG")
    return f"uploaded via {uploader}, author page by {other}, {found.group(1)} → 200"


def check_publication(cluster: Cluster, data: dict[str, Any]) -> str:
    """2. Published on one node, readers see it within 2 s on both nodes and through the
    micro-cache."""
    article = data["submitted"]
    editor = Browser(cluster.base)
    expect(editor.sign_in(data["editor"].email), "the editor could not sign in")
    editor.csrf(f"/redactie/artikel/{article.pk}/")
    url = f"/podium/{article.slug}/"
    reader = Browser(cluster.base)
    expect(reader.get(url).status_code == 404, "the article was visible before publication")
    tag = editor.tag()
    response = editor.post(
        f"/redactie/artikel/{article.pk}/publiceren/", {"when": "now", "message": ""}, tag=tag
    )
    published_at = time.monotonic()
    expect(response.status_code == 302, f"publish answered {response.status_code}")
    publisher = node_name(cluster, cluster.access.upstream(tag))
    seen_nodes: dict[str, float] = {}
    cached_at: float | None = None
    # A cookie nginx's cache map treats as personal sends the request to a node (round robin).
    bypass = {"messages": "x"}
    for _ in range(200):
        elapsed = time.monotonic() - published_at
        if elapsed > 2.0 or (len(seen_nodes) == 2 and cached_at is not None):
            break
        tag = reader.tag()
        direct = reader.get(url, tag=tag, cookies=bypass)
        node = node_name(cluster, cluster.access.upstream(tag))
        if direct.status_code == 200 and article.title in direct.text:
            seen_nodes.setdefault(node, elapsed)
        through = Browser(cluster.base).get(url)
        if through.status_code == 200 and cached_at is None:
            cached_at = elapsed
        time.sleep(0.05)
    expect(len(seen_nodes) == 2, f"seen within 2 s only on {sorted(seen_nodes) or 'no node'}")
    expect(cached_at is not None, "not seen through nginx's micro-cache within 2 s")
    times = ", ".join(f"{n} {t:.2f}s" for n, t in sorted(seen_nodes.items()))
    return f"published via {publisher}; seen on {times}; micro-cache {cached_at:.2f}s"


def check_compilation(cluster: Cluster, data: dict[str, Any]) -> str:
    """3. A compilation built by a worker downloads for an editor through either node; others
    are refused; the object has no public URL."""
    from podium.bestof.models import Compilation

    compilation = data["compilation"]
    editor = Browser(cluster.base)
    expect(editor.sign_in(data["editor"].email), "the editor could not sign in")
    editor.csrf(f"/redactie/beste-van/{compilation.pk}/")
    response = editor.post(f"/redactie/beste-van/{compilation.pk}/bouwen/", {})
    expect(response.status_code == 302, f"build answered {response.status_code}")
    deadline = time.monotonic() + 180
    status = ""
    for _ in range(360):
        compilation.refresh_from_db()
        status = compilation.build_status
        if status in (Compilation.BuildStatus.DONE, Compilation.BuildStatus.FAILED):
            break
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    expect(status == Compilation.BuildStatus.DONE, f"build {status}: {compilation.build_errors}")
    url = f"/redactie/beste-van/{compilation.pk}/download/a4/"
    nodes: dict[str, str] = {}
    for _ in range(10):
        tag = editor.tag()
        answer = editor.get(url, tag=tag, allow_redirects=False)
        node = node_name(cluster, cluster.access.upstream(tag))
        expect(answer.status_code == 302, f"{node}: download answered {answer.status_code}")
        link = answer.headers["Location"]
        query = parse_qs(urlparse(link).query)
        expect("X-Amz-Signature" in query, "the download link is not presigned")
        expires = int(query.get("X-Amz-Expires", ["99999"])[0])
        expect(expires <= 300, f"the link lives {expires} s")
        pdf = requests.get(link, timeout=TIMEOUT)
        expect(pdf.status_code == 200 and pdf.content[:5] == b"%PDF-", f"{node}: no PDF")
        nodes[node] = f"302 → presigned ({expires} s) → PDF {len(pdf.content) // 1024} KiB"
        if len(nodes) == 2:
            break
    expect(len(nodes) == 2, f"downloaded only through {sorted(nodes)}")
    contributor = Browser(cluster.base)
    expect(contributor.sign_in(data["author"].email), "the contributor could not sign in")
    refused = contributor.get(url, allow_redirects=False).status_code
    expect(refused in (403, 404), f"a contributor got {refused}")
    anonymous = Browser(cluster.base).get(url, allow_redirects=False)
    expect(
        anonymous.status_code == 404,
        f"an anonymous client got {anonymous.status_code} {anonymous.headers.get('Location', '')}",
    )
    key = str(compilation.pdf_a4.name)
    s3 = cluster.s3()
    grants = s3.get_object_acl(Bucket="podium-private", Key=key)["Grants"]
    expect(not any("AllUsers" in str(g.get("Grantee")) for g in grants), "the object is public")
    try:
        s3.get_bucket_policy(Bucket="podium-private")
        raise Failed("the private bucket has a policy")
    except s3.exceptions.ClientError:
        pass
    media = Browser(cluster.base).get(f"/media/{key}").status_code
    expect(media == 404, f"/media/{key} answered {media}")
    return (
        "; ".join(f"{n}: {v}" for n, v in sorted(nodes.items()))
        + f"; contributor {refused}, anonymous {anonymous.status_code}; "
        "object ACL private, no bucket policy, not under /media/"
    )


def check_newsletter(cluster: Cluster, data: dict[str, Any]) -> str:
    """4. An edition to 5,000 subscribers, sent by both worker nodes, reaches each once."""
    from django_tasks_db.models import DBTaskResult

    from podium.newsletter.models import Edition

    edition = data["edition"]
    editor = Browser(cluster.base)
    expect(editor.sign_in(data["editor"].email), "the editor could not sign in")
    editor.csrf(f"/redactie/nieuwsbrief/{edition.pk}/")
    started = time.monotonic()
    # The desk asks for confirmation first; this is the confirming post.
    response = editor.post(f"/redactie/nieuwsbrief/{edition.pk}/verzenden/", {"confirmed": "1"})
    expect(response.status_code == 302, f"send answered {response.status_code}")
    for _ in range(600):
        edition.refresh_from_db()
        if edition.status == Edition.Status.SENT or time.monotonic() - started > 240:
            break
        time.sleep(0.5)
    seconds = time.monotonic() - started
    expect(edition.status == Edition.Status.SENT, f"edition {edition.status} after {seconds:.0f}s")
    time.sleep(0.5)
    counts = cluster.sink.snapshot()
    subscribers = set(data["subscribers"])
    got = {address: n for address, n in counts.items() if address in subscribers}
    missing = len(subscribers - set(got))
    twice = sum(1 for n in got.values() if n > 1)
    workers = Counter(
        worker
        for ids in DBTaskResult.objects.filter(
            task_path__contains="newsletter", finished_at__isnull=False
        ).values_list("worker_ids", flat=True)
        for worker in ids
    )
    expect(missing == 0 and twice == 0, f"{missing} missing, {twice} received twice")
    expect({"worker-1", "worker-2"} <= set(workers), f"sending tasks ran on {sorted(workers)} only")
    return (
        f"{len(got)} subscribers, each exactly once, in {seconds:.1f}s; "
        f"sender tasks per worker {dict(sorted(workers.items()))}"
    )


def check_rate_limit(cluster: Cluster, data: dict[str, Any]) -> str:
    """5. Eleven failed sign-ins from 127.0.0.2 lock out 127.0.0.2 only."""
    attacker = Browser(cluster.base, source="127.0.0.2")
    attacker.csrf("/account/login/")
    for n in range(11):
        attacker.post(
            "/account/login/", {"login": f"gok{n}@podium.example", "password": "fout-wachtwoord"}
        )
    locked = Browser(cluster.base, source="127.0.0.2")
    expect(not locked.sign_in(data["reader"].email), "127.0.0.2 could still sign in")
    other = Browser(cluster.base, source="127.0.0.3")
    expect(other.sign_in(data["reader"].email), "127.0.0.3 was locked out too")
    return (
        "11 failures from 127.0.0.2: 127.0.0.2 refused with the right password, 127.0.0.3 signed in"
    )


def check_failover(cluster: Cluster, data: dict[str, Any]) -> str:
    """6. Node A is SIGKILLed while 100 readers load pages; after nginx takes it out, no 5xx."""
    paths = [
        "/",
        f"/podium/{data['published'].slug}/",
        "/podium/",
        f"/auteurs/{data['author'].slug}/",
    ]
    stop = threading.Event()
    killed_at: list[float] = []
    results: list[tuple[float, int]] = []
    lock = threading.Lock()

    def reader(n: int) -> None:
        session = requests.Session()
        # Half the readers carry a cookie that bypasses the micro-cache, so nodes get traffic.
        cookies = {"messages": "x"} if n % 2 else {}
        for i in range(10_000):
            if stop.is_set():
                return
            try:
                status = session.get(
                    cluster.base + paths[(n + i) % len(paths)], cookies=cookies, timeout=TIMEOUT
                ).status_code
            except requests.RequestException:
                status = 599
            with lock:
                results.append((time.monotonic(), status))

    with ThreadPoolExecutor(READERS) as pool:
        for n in range(READERS):
            pool.submit(reader, n)
        time.sleep(3)
        cluster.procs.kill("web-a")
        killed_at.append(time.monotonic())
        time.sleep(8)
        stop.set()
    kill = killed_at[0]
    failed = [(t, s) for t, s in results if s >= 500]
    before = sum(1 for t, _ in results if t < kill)
    after = [(t, s) for t, s in results if t >= kill]
    # nginx takes a node out on its first refused connection (max_fails=1): allow the requests
    # that were in flight on node A at the kill, then none.
    late = [(t, s) for t, s in failed if t > kill + 1.0]
    summary = (
        f"{len(results)} requests ({before} before, {len(after)} after the kill); "
        f"{len(failed)} failed in all, {len(late)} more than 1 s after the kill"
    )
    expect(len(after) > 100, f"too few requests after the kill: {summary}")
    expect(not late, summary)
    return summary


def check_export_and_deletion(cluster: Cluster, data: dict[str, Any]) -> str:
    """7. A member's data export downloads; after deleting the account none of their files is
    left in the store."""
    from podium.accounts.models import User

    member = data["leaver"]
    browser = Browser(cluster.base)
    expect(browser.sign_in(member.email), "the member could not sign in")
    browser.csrf("/profiel/")
    browser.post(
        "/profiel/",
        profile_fields(member),
        files={"photo": ("ik.jpg", sample_jpeg(2), "image/jpeg")},
    )
    member.refresh_from_db()
    photo = str(member.photo.name)
    expect(bool(photo), "the photo was not stored")
    browser.csrf("/profiel/mijn-gegevens/")
    answer = browser.post("/profiel/mijn-gegevens/download/", {})
    expect(answer.status_code == 302, f"export answered {answer.status_code}")
    export = requests.get(answer.headers["Location"], timeout=TIMEOUT)
    expect(export.status_code == 200 and export.content[:2] == b"PK", "the export is no zip")
    s3 = cluster.s3()

    def keys(bucket: str) -> set[str]:
        found: set[str] = set()
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            found.update(item["Key"] for item in page.get("Contents", []))
        return found

    theirs = {photo} | {k for k in keys("podium-private") if k.startswith(f"exports/{member.pk}/")}
    expect(len(theirs) == 2 and theirs <= keys("podium-private"), f"stored: {sorted(theirs)}")
    browser.csrf("/profiel/mijn-gegevens/")
    gone = browser.post("/profiel/mijn-gegevens/", {"password": PASSWORD, "confirm": "on"})
    expect(gone.status_code == 302, f"deletion answered {gone.status_code}")
    expect(not User.objects.filter(pk=member.pk).exists(), "the account still exists")
    left = theirs & (keys("podium-private") | keys("podium-public"))
    expect(not left, f"left in the store: {sorted(left)}")
    return (
        f"export ({len(export.content):,} bytes) via a presigned link; after the deletion "
        f"none of its {len(theirs)} files (photo, export) is left in either bucket"
    )


CHECKS: list[tuple[str, Callable[[Cluster, dict[str, Any]], str]]] = [
    ("1 photo across nodes", check_photo),
    ("2 publication on both nodes", check_publication),
    ("3 private compilation", check_compilation),
    ("4 newsletter exactly once", check_newsletter),
    ("5 sign-in limit per address", check_rate_limit),
    ("6 node killed under load", check_failover),
    ("7 export and deletion", check_export_and_deletion),
]


def prepare() -> dict[str, Any]:
    """Everyone and everything the checks start from, through the services."""
    import datetime

    from django.utils import timezone

    from podium.articles import services as articles
    from podium.bestof import services as bestof
    from podium.editorial.services import pick_article
    from podium.newsletter import services as newsletter
    from podium.newsletter.models import Subscriber

    editor = make_member("redactie@podium.example", "Eva Redacteur", editor=True)
    author = make_member("anne@podium.example", "Anne de Vries")
    reader = make_member("lezer@podium.example", "Lies Lezer")
    leaver = make_member("vertrek@podium.example", "Victor Vertrek")
    published = [
        articles.publish_article(
            article=write_article(author, f"Werk en leiderschap {n}", submit=True), by=editor
        )
        for n in range(3)
    ]
    submitted = write_article(author, "Het sollicitatiegesprek voorspelt minder", submit=True)
    today = timezone.localdate()
    compilation = bestof.create_compilation(
        by=editor,
        title="Het beste van Podium, cluster",
        subtitle="",
        foreword="",
        period_start=today - datetime.timedelta(days=30),
        period_end=today,
    )
    bestof.set_articles(compilation=compilation, article_ids=[a.pk for a in published], by=editor)
    for article in published:
        pick_article(article=article, kind="newsletter", by=editor)
    now = timezone.now()
    emails = [f"lezer{i}@cluster.example" for i in range(SUBSCRIBERS)]
    Subscriber.objects.bulk_create(
        Subscriber(
            email=email,
            status=Subscriber.Status.CONFIRMED,
            consent_at=now,
            consent_source=Subscriber.Source.PAGE,
            consent_text="Ja",
            confirmed_at=now,
        )
        for email in emails
    )
    edition = newsletter.update_edition(
        edition=newsletter.create_edition(by=editor),
        subject="De week van Podium",
        intro="Drie stukken om te lezen.",
        by=editor,
    )
    return {
        "editor": editor,
        "author": author,
        "reader": reader,
        "leaver": leaver,
        "published": published[0],
        "submitted": submitted,
        "compilation": compilation,
        "edition": edition,
        "subscribers": emails,
    }


@contextlib.contextmanager
def cluster_up(work: Path) -> Iterator[Cluster]:
    cluster = Cluster(work)
    try:
        cluster.up()
        yield cluster
    finally:
        cluster.down()


def main() -> int:
    started = time.monotonic()
    # Every address here is on this machine: no proxy from the environment may stand between.
    for name in ("NO_PROXY", "no_proxy"):
        os.environ[name] = ",".join(filter(None, [os.environ.get(name, ""), "127.0.0.1,localhost"]))
    if not Path(NGINX).exists():
        print("nginx is not installed: scripts/system-packages installs it", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="podium-cluster-"))
    work.chmod(0o755)  # nginx's workers read the static files
    outcomes: list[tuple[str, bool, str]] = []
    try:
        with cluster_up(work) as cluster:
            log(
                f"cluster up in {time.monotonic() - started:.0f}s: nginx :{cluster.nginx_port}, "
                f"web {cluster.web_ports}, moto :{cluster.s3_port}, database {cluster.db_name}"
            )
            data = prepare()
            for name, check in CHECKS:
                t = time.monotonic()
                try:
                    detail = check(cluster, data)
                    ok = True
                except Failed as exc:
                    detail, ok = str(exc), False
                except Exception as exc:
                    detail, ok = f"{type(exc).__name__}: {exc}", False
                    traceback.print_exc()
                outcomes.append((name, ok, detail))
                print(
                    f"{'PASS' if ok else 'FAIL'}  {name} ({time.monotonic() - t:.1f}s): {detail}",
                    flush=True,
                )
    except Exception:
        traceback.print_exc()
        print(f"FAIL  cluster set-up (logs in {work})")
        return 1
    passed = sum(ok for _, ok, _ in outcomes)
    failed = len(CHECKS) - passed
    print(f"cluster: {passed} passed, {failed} failed")
    print(f"test-cluster took {time.monotonic() - started:.0f}s")
    if failed:
        print(f"logs kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

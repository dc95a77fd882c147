"""Load and faults: the demo county served by gunicorn on PostgreSQL, on loopback only.

    .venv/bin/python bench/load.py                 # 50 users, 60 s, mixed workload
    .venv/bin/python bench/load.py --faults        # the same load while a worker, the server and PostgreSQL die

Each virtual user logs in as a demo persona (a grid worker, a village clerk, the town admin or the leader) and loops
over its own mix: the home page, the event worklist, an assessment page, reporting an event and accepting it (a
workflow transition), pausing about `--think` seconds between clicks as a person reading the page does (with no
pause, 50 users on 2 cores measure only the queue in front of the server). Every user also asks the bare health
view `/healthz/`, so the pages' latency is printed next to a view that does nothing, measured in the same run on
the same server. Requests go only to 127.0.0.1; the loops are bounded by the duration and by `--max-requests`.

`--faults` kills, during the run: one gunicorn worker with SIGKILL mid-request (the master respawns it), then the
whole server (restarted as a supervisor would), then restarts PostgreSQL; after the run it kills the background-job
worker with SIGKILL in the middle of a 32,040-row division import and starts it again. Afterwards it checks that
nothing is half-written (no unit of the killed import and its job marked failed; every event's state is the state of
its last history step; the audit chain verifies) and that the last phase, after every fault, had no errors: recovery
needed no hand on the application.

Not a test: it prints figures. The database `xingyao_load` is created and loaded with the demo when missing.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgresql://xingyao:xingyao@127.0.0.1:5432/xingyao_load")
PASSWORD = os.environ.get("XINGYAO_DEMO_PASSWORD", "xingyao-demo")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=DATABASE_URL,
        XINGYAO_STATIC_MANIFEST="0",
        XINGYAO_DEBUG="0",
        XINGYAO_SCOPE_GUARD="0",
        PYTHONPATH=str(ROOT),
    )
    return env


def prepare_database(fresh: bool) -> None:
    """Create the load database and load the demo county into it (once; `--fresh` loads it anew)."""
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    manage = [PYTHON, "-m", "xingyao"]
    migrated = subprocess.run(
        [*manage, "migrate", "--noinput", "-v0"], env=server_env(), cwd=ROOT, capture_output=True, text=True
    )
    if migrated.returncode:
        raise SystemExit(migrated.stderr)
    with psycopg.connect(DATABASE_URL) as conn:
        loaded = conn.execute("SELECT count(*) FROM accounts_user").fetchone()
    if not loaded or not loaded[0]:
        subprocess.run([*manage, "demo"], check=True, env=server_env(), cwd=ROOT, stdout=subprocess.DEVNULL)


def grid_workers(count: int) -> list[str]:
    import psycopg

    with psycopg.connect(DATABASE_URL) as conn:
        rows = conn.execute(
            # Grid workers of one grid each: their report form has the grid filled in.
            "SELECT u.username FROM accounts_user u JOIN accounts_membership m ON m.user_id = u.id "
            "WHERE m.role = 'grid_worker' AND u.is_active GROUP BY u.id, u.username HAVING count(*) = 1 "
            "ORDER BY u.id LIMIT %s",
            [count],
        ).fetchall()
    return [row[0] for row in rows]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn serving the project, as in production behind a proxy (sync workers, loopback only)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "xingyao.wsgi:application",
                f"--workers={self.workers}",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=30",
                "--log-level=warning",
            ],
            env=server_env(),
            cwd=ROOT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _, _ = raw_request(self.port, "GET", "/healthz/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /healthz/ within 30 s")

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill_one_worker(self) -> None:
        pids = self.worker_pids()
        if pids:
            os.kill(random.choice(pids), signal.SIGKILL)

    def crash_and_restart(self) -> None:
        """SIGKILL the master and its workers at once, then start again as systemd's Restart=always would."""
        assert self.process is not None
        pids = self.worker_pids()
        self.process.kill()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait()
        self.start()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def raw_request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, list[str]], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        found: dict[str, list[str]] = defaultdict(list)
        for key, value in response.getheaders():
            found[key.lower()].append(value)
        return response.status, found, text
    finally:
        conn.close()


@dataclass
class Sample:
    page: str
    status: int  # 0: no answer (connection refused or reset); -1: a page without the form it should have
    ms: float
    at: float


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class VirtualUser:
    def __init__(self, server: Server, username: str, recorder: Recorder, start: float) -> None:
        self.server = server
        self.username = username
        self.recorder = recorder
        self.start = start
        self.cookies: dict[str, str] = {}
        self.resolved: dict[str, str] = {}

    def request(self, page: str, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, dict, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        began = time.perf_counter()
        try:
            status, found, text = raw_request(self.server.port, method, path, body, headers)
        except OSError:
            status, found, text = 0, {}, ""
        elapsed = (time.perf_counter() - began) * 1000
        if page:
            self.recorder.add(Sample(page, status, elapsed, time.monotonic() - self.start))
        for cookie in found.get("set-cookie", []):
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return status, found, text

    def form_post(self, page: str, form_path: str, post_path: str, fields: dict[str, str]) -> tuple[int, dict, str]:
        status, _, text = self.request("", "GET", form_path)
        token = CSRF_FIELD.search(text)
        if status != 200 or token is None:
            self.recorder.add(Sample(page, -1 if status == 200 else status, 0.0, time.monotonic() - self.start))
            return status, {}, text
        return self.request(page, "POST", post_path, {"csrfmiddlewaretoken": token.group(1), **fields})

    def login(self) -> bool:
        status, _, _ = self.form_post(
            "登录", "/accounts/login/", "/accounts/login/", {"username": self.username, "password": PASSWORD}
        )
        return status == 302

    def steps(self) -> list[tuple[int, object]]:
        """(weight, action) pairs: what this kind of user does, and how often (each persona's class says)."""
        raise NotImplementedError

    def menu_page(self, page: str, path: str) -> None:
        """A menu entry under /go/ redirects to a page that depends on data: resolve it once, then ask the page."""
        resolved = self.resolved.get(path)
        if resolved is None:
            status, found, _ = self.request("", "GET", path)
            if status != 302:
                self.recorder.add(Sample(page, status or 0, 0.0, time.monotonic() - self.start))
                return
            resolved = self.resolved[path] = urlsplit(found["location"][0]).path
        self.request(page, "GET", resolved)

    def run(self, until: float, budget: itertools.count, limit: int, think: float) -> None:
        while not self.login():
            if time.monotonic() >= until:
                return
            time.sleep(0.5)
        choices = self.steps()
        weights = [weight for weight, _ in choices]
        actions = [action for _, action in choices]
        while time.monotonic() < until and next(budget) < limit:
            action = random.choices(actions, weights)[0]
            action()  # type: ignore[operator]
            time.sleep(random.uniform(0.5 * think, 1.5 * think))  # a person reads the page before the next click


class GridWorker(VirtualUser):
    """Reports events from his grid, accepts them, and reads his worklist."""

    counter = itertools.count(1)

    def steps(self) -> list[tuple[int, object]]:
        return [
            (3, lambda: self.request("首页", "GET", "/home/")),
            (3, lambda: self.request("事件列表", "GET", "/grid/")),
            (2, self.report_and_accept),
            (2, lambda: self.request("空视图 /healthz/", "GET", "/healthz/")),
        ]

    def report_and_accept(self) -> None:
        status, _, text = self.request("", "GET", "/grid/new/")
        token = CSRF_FIELD.search(text)
        unit = re.search(r'name="unit"[^>]*value="(\d+)"', text) or re.search(
            r'<select name="unit"[^>]*>.*?<option value="(\d+)"', text, re.S
        )
        category = re.search(r'<select name="category"[^>]*>.*?<option value="(\d+)"', text, re.S)
        if status != 200 or not (token and unit and category):
            self.recorder.add(Sample("上报事件", -1 if status == 200 else status, 0.0, time.monotonic() - self.start))
            return
        n = next(self.counter)
        status, found, _ = self.request(
            "上报事件",
            "POST",
            "/grid/new/",
            {
                "csrfmiddlewaretoken": token.group(1),
                "unit": unit.group(1),
                "category": category.group(1),
                "title": f"压力测试上报 {n}",
                "description": "压力测试：村道路灯不亮，请尽快处理。",
                "address": "村委会门口",
            },
        )
        location = (found.get("location") or [""])[0]
        pk = re.search(r"/grid/(\d+)/", urlsplit(location).path)
        if status != 302 or pk is None:
            return
        self.request("", "GET", f"/grid/{pk.group(1)}/")
        token_now = self.cookies.get("csrftoken", "")
        self.request(
            "受理（流转）",
            "POST",
            f"/grid/{pk.group(1)}/act/",
            {"csrfmiddlewaretoken": token_now, "action": "accept", "reason": ""},
        )


class Clerk(VirtualUser):
    """A village clerk reads his home page and his assessment."""

    def steps(self) -> list[tuple[int, object]]:
        return [
            (3, lambda: self.request("首页", "GET", "/home/")),
            (3, lambda: self.menu_page("评定页", "/go/assessments.mine/")),
            (1, lambda: self.request("事件列表", "GET", "/grid/")),
            (2, lambda: self.request("空视图 /healthz/", "GET", "/healthz/")),
        ]


class TownAdmin(VirtualUser):
    """The town admin reads his home page, the worklist, his review queue and the town's progress."""

    def steps(self) -> list[tuple[int, object]]:
        return [
            (3, lambda: self.request("首页", "GET", "/home/")),
            (3, lambda: self.request("事件列表", "GET", "/grid/")),
            (1, lambda: self.request("审核队列", "GET", "/assessments/queue/")),
            (1, lambda: self.menu_page("进度总览", "/go/assessments.progress/")),
            (2, lambda: self.request("空视图 /healthz/", "GET", "/healthz/")),
        ]


class Leader(VirtualUser):
    """The county's read-only leader: home, rankings and the town's figures."""

    def steps(self) -> list[tuple[int, object]]:
        return [
            (3, lambda: self.request("首页", "GET", "/home/")),
            (3, lambda: self.menu_page("排名", "/go/assessments.rankings/")),
            (1, lambda: self.request("事件列表", "GET", "/grid/")),
            (2, lambda: self.request("空视图 /healthz/", "GET", "/healthz/")),
        ]


def people(users: int) -> list[tuple[type[VirtualUser], str]]:
    workers = grid_workers(max(1, users * 6 // 10))
    cast: list[tuple[type[VirtualUser], str]] = [(GridWorker, name) for name in workers]
    others = [(Clerk, "maoqiao"), (Clerk, "zhuangying"), (TownAdmin, "zhen"), (Leader, "lingdao")]
    for i in range(users - len(cast)):
        cast.append(others[i % len(others)])
    return cast[:users]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarise(samples: list[Sample], title: str) -> int:
    by_page: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_page[sample.page].append(sample)
    print(f"\n{title}")
    print(f"  {'page':<22} {'requests':>8} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8}")
    errors = 0
    for page in sorted(by_page, key=lambda p: (p.startswith("空视图"), p)):
        rows = by_page[page]
        failed = [s for s in rows if s.status <= 0 or s.status >= 400]
        errors += len(failed)
        times = [s.ms for s in rows if s not in failed]
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        print(f"  {page:<22} {len(rows):>8} {len(failed):>7} {p50:>8.0f} {p95:>8.0f}")
    pages = [s.ms for s in samples if not s.page.startswith("空视图") and s.page != "登录" and 0 < s.status < 400]
    bare = [s.ms for s in samples if s.page.startswith("空视图") and 0 < s.status < 400]
    if pages and bare:
        p95_pages, p95_bare = percentile(pages, 0.95), percentile(bare, 0.95)
        print(f"  all pages p95 {p95_pages:.0f} ms; bare view p95 {p95_bare:.0f} ms; ratio {p95_pages / p95_bare:.1f}×")
    kinds = Counter(s.status for s in samples if s.status <= 0 or s.status >= 400)
    said = {0: "no answer", -1: "page without its form"}
    detail = "、".join(f"{said.get(code, f'HTTP {code}')} {n}" for code, n in sorted(kinds.items()))
    print(f"  errors: {errors}" + (f" ({detail})" if detail else ""))
    return errors


def consistency() -> list[str]:
    """Nothing half-written: each event's state is its last history step's; the audit chain verifies."""
    import psycopg

    problems = []
    with psycopg.connect(DATABASE_URL) as conn:
        row = conn.execute(
            "SELECT count(*) FROM grid_event e WHERE e.state IS DISTINCT FROM ("
            " SELECT s.to_state FROM grid_eventstep s WHERE s.event_id = e.id ORDER BY s.id DESC LIMIT 1)"
        ).fetchone()
        if row and row[0]:
            problems.append(f"{row[0]} events whose state is not their last step's")
    verify = subprocess.run(
        [PYTHON, "-m", "xingyao", "audit", "verify"], env=server_env(), cwd=ROOT, capture_output=True, text=True
    )
    print(f"  audit verify: {(verify.stdout or verify.stderr).strip().splitlines()[-1]}")
    if verify.returncode:
        problems.append("audit chain does not verify")
    return problems


FAULT_TOWNS = range(150, 190)  # 40 made-up towns of 新野县, 800 villages each: a 32,040-row division list


def _division_csv() -> bytes:
    rows = ["代码,名称,层级"]
    for town in FAULT_TOWNS:
        rows.append(f"411329{town}000,压测镇{town},镇")
        rows.extend(f"411329{town}{village},压测镇{town}第{village}村,村" for village in range(200, 1000))
    return ("\n".join(rows) + "\n").encode()


def _multipart(fields: dict[str, str], name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "----xingyao-load-" + os.urandom(8).hex()
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
    parts.append(head.encode() + b"Content-Type: text/csv\r\n\r\n" + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def worker_fault(server: Server) -> list[str]:
    """kill -9 the job worker in the middle of a big division import (a background job), start it again as a
    supervisor would: nothing of the import may be written, and the job must end marked failed."""
    import psycopg

    stale = 5
    env = server_env() | {"XINGYAO_JOB_STALE_SECONDS": str(stale)}
    command = [PYTHON, "-m", "xingyao", "db_worker", "--no-reload", "-v0", "--interval", "0.2"]
    worker = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
    problems = []
    try:
        admin = TownAdmin(server, "xian", Recorder(), time.monotonic())  # any concrete user logs in the same way
        if not admin.login():
            return ["the county admin could not log in"]
        url = "/units/411329000000/import/divisions/"
        _, _, form = admin.request("", "GET", url)
        token = CSRF_FIELD.search(form)
        body, kind = _multipart({"csrfmiddlewaretoken": token.group(1) if token else ""}, "file", "区划.csv",
                                _division_csv())  # fmt: skip
        cookies = "; ".join(f"{k}={v}" for k, v in admin.cookies.items())
        status, found, _ = raw_request(server.port, "POST", url, body, {"Cookie": cookies, "Content-Type": kind})
        job = re.search(r"/jobs/(\d+)/", (found.get("location") or [""])[0])
        if status != 302 or job is None:
            return [f"the big import did not start a job (HTTP {status})"]
        job_id = int(job.group(1))
        with psycopg.connect(DATABASE_URL, autocommit=True) as conn:

            def state() -> str:
                row = conn.execute("SELECT state FROM core_job WHERE id = %s", [job_id]).fetchone()
                return row[0] if row else ""

            deadline = time.monotonic() + 60
            while state() != "running" and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)  # inside the import now: reading, checking or writing the 32,040 rows
            print(f"  job {job_id} {state()}: kill -9 the job worker")
            worker.kill()
            worker.wait()
            written = conn.execute(
                "SELECT count(*) FROM places_unit WHERE code >= %s AND code < %s",
                [f"411329{FAULT_TOWNS[0]}000", f"411329{FAULT_TOWNS[-1] + 1}000"],
            ).fetchone()
            if written and written[0]:
                problems.append(f"{written[0]} units of the killed import were written")
            time.sleep(stale + 1)  # the dead worker's heartbeat goes stale
            worker = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 30
            while state() not in ("failed", "done") and time.monotonic() < deadline:
                time.sleep(0.2)
            final = state()
            print(f"  worker started again: job {job_id} is {final}")
            if final != "failed":
                problems.append(f"the killed job ended {final or 'missing'}, not failed")
    finally:
        worker.terminate()
        worker.wait(10)
    return problems


def restart_postgres() -> None:
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.split()
    version, name = clusters[0], clusters[1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "-m", "fast", version, name, "restart"], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 2) + 1)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds a user reads a page (0: none)")
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="load the demo anew")
    args = parser.parse_args()

    prepare_database(args.fresh)
    server = Server(args.workers)
    server.start()
    recorder = Recorder()
    start = time.monotonic()
    until = start + args.seconds
    budget = itertools.count()
    crew = [kind(server, name, recorder, start) for kind, name in people(args.users)]
    run_args = (until, budget, args.max_requests, args.think)
    threads = [threading.Thread(target=u.run, args=run_args, daemon=True) for u in crew]
    print(f"{args.users} users, {args.seconds:.0f} s, gunicorn {args.workers} workers on 127.0.0.1:{server.port}")
    faults: list[tuple[float, str]] = []
    try:
        for thread in threads:
            thread.start()
        if args.faults:
            plan = [
                (0.25, "kill -9 one gunicorn worker", server.kill_one_worker),
                (0.45, "kill -9 the whole server, restart it", server.crash_and_restart),
                (0.65, "restart PostgreSQL", restart_postgres),
            ]
            for share, label, act in plan:
                time.sleep(max(0.0, start + share * args.seconds - time.monotonic()))
                faults.append((time.monotonic() - start, label))
                print(f"  t={faults[-1][0]:5.1f} s  {label}")
                act()
        for thread in threads:
            thread.join(args.seconds + 60)
        worker_fault_problems = worker_fault(server) if args.faults else []
    finally:
        server.stop()

    samples = [s for s in recorder.samples if s.page != "登录"]
    rate = len(samples) / args.seconds
    errors = summarise(samples, f"Whole run ({rate:.0f} requests/s, think time {args.think:.1f} s)")
    if not args.faults:
        return 1 if errors else 0
    last_fault = faults[-1][0] if faults else 0.0
    settled = [s for s in samples if s.at > last_fault + 5]
    errors_after = summarise(settled, f"After the last fault (from t={last_fault + 5:.0f} s)")
    problems = worker_fault_problems + consistency()
    for problem in problems:
        print(f"  HALF-WRITTEN: {problem}")
    print(f"  recovered without a hand: {'yes' if errors_after == 0 else 'NO'}")
    return 1 if problems or errors_after else 0


if __name__ == "__main__":
    sys.exit(main())

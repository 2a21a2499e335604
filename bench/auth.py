"""Auth benchmark (S4, A7): logins per second against a bare argon2-cffi loop, in the same run.

    .venv/bin/python bench/auth.py --logins 200
    .venv/bin/python bench/auth.py --database-url postgresql://postgres@127.0.0.1:5432/test

Measured in one process, on the auth service's own app (Flask test client, no network):
- raw argon2-cffi: PasswordHasher(argon2id, m=19456 KiB, t=2, p=1) hash and verify, ms each;
- ours: services.auth.passwords.Passwords hash and verify (same parameters);
- login, password step: POST /api/v1/auth/login → OTP challenge + mail queued (one argon2 verify,
  one transaction) — logins/s on one thread and on as many threads as cores;
- login, remembered device: POST /api/v1/auth/login with a device token → session + tokens;
- login, unknown email: the dummy-hash path (S3: it should cost the same as a known one).
The overhead of the login path beyond the hash is the login's mean time minus the raw verify.

Prints every figure and writes bench/results/auth-<date>.json. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from argon2 import PasswordHasher, Type  # noqa: E402

from kit.events import Event  # noqa: E402
from kit.settings import Settings  # noqa: E402
from services.auth import passwords, terms  # noqa: E402
from services.auth.app import create_app  # noqa: E402
from services.auth.handlers import SUBSCRIPTIONS  # noqa: E402
from services.auth.mail import MailDispatcher  # noqa: E402

PASSWORD = "Bench@2026pw"


def timed(function, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"n": len(samples), "mean_ms": round(statistics.fmean(samples) * 1000, 2),
            "p50_ms": round(ordered[len(ordered) // 2] * 1000, 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
            "per_second": round(len(samples) / sum(samples), 1)}


def raw_argon2(count: int) -> dict:
    hasher = PasswordHasher(time_cost=passwords.TIME_COST, memory_cost=passwords.MEMORY_KIB,
                            parallelism=passwords.PARALLELISM, hash_len=32, salt_len=16, type=Type.ID)
    stored = hasher.hash(PASSWORD)
    return {"hash": summary(timed(lambda: hasher.hash(PASSWORD), count)),
            "verify": summary(timed(lambda: hasher.verify(stored, PASSWORD), count))}


def ours_argon2(count: int) -> dict:
    ours = passwords.Passwords()
    stored = ours.hash(PASSWORD)
    return {"hash": summary(timed(lambda: ours.hash(PASSWORD), count)),
            "verify": summary(timed(lambda: ours.verify(stored, PASSWORD), count))}


class Bench:
    """The auth app on its own database, with one open account per thread."""

    def __init__(self, database_url: str | None, var_dir: Path) -> None:
        settings = Settings.from_env("auth", {"MYPAGE_VAR_DIR": str(var_dir)},
                                     database_url=database_url or f"sqlite:///{var_dir / 'auth.db'}",
                                     smtp_url="smtp://unused:25")
        self.app = create_app(settings)
        self.runtime = self.app.extensions["runtime"]
        self.runtime.migrate()
        self.outbox = []
        self.dispatcher = MailDispatcher(self.runtime, send=lambda *args: self.outbox.append(args) or "<id>")

    def open_account(self) -> str:
        seeker_id = str(uuid.uuid4())
        email = f"bench-{seeker_id[:12]}@example.jp"
        event = Event(type="profile.seeker.registered.v1", source="/bench", data={
            "seeker_id": seeker_id, "seeker_number": f"11040-{uuid.uuid4().int % 10**8:08d}",
            "email": email, "birth_date": "1990-04-01"})
        with self.runtime.uow() as uow:
            SUBSCRIPTIONS[event.type](event, uow)
            uow.commit()
        client = self.app.test_client()
        current = terms.current()
        client.post("/api/v1/auth/opening", json={"email": email, "birth_date": "1990-04-01",
                                                  "terms_version": current.terms.version,
                                                  "privacy_version": current.privacy_policy.version})
        self.dispatcher.run_once()
        key = self.outbox[-1][4].split("認証キー：")[1].split()[0]
        answer = client.post("/api/v1/auth/opening/complete", json={"email": email, "auth_key": key,
                                                                    "password": PASSWORD})
        assert answer.status_code == 201, answer.json
        return email

    def device_token(self, email: str) -> str:
        client = self.app.test_client()
        ticket = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json["login_ticket"]
        self.dispatcher.run_once()
        otp = self.outbox[-1][4].split("ワンタイムパスワード：")[1].split()[0]
        answer = client.post("/api/v1/auth/login/otp", json={"login_ticket": ticket, "otp": otp,
                                                             "remember_device": True, "client": "mobile"})
        return answer.json["device_token"]

    def logins(self, body: dict | None, count: int, expect: int) -> list[float]:
        """`count` logins with `body` (None: each with a new unknown email, so S2 never throttles it)."""
        client = self.app.test_client()

        def once():
            sent = body or {"email": f"nobody-{uuid.uuid4().hex[:12]}@example.jp", "password": PASSWORD}
            response = client.post("/api/v1/auth/login", json=sent)
            assert response.status_code == expect, response.json

        return timed(once, count)

    def concurrent(self, bodies: list[dict], count: int, expect: int) -> dict:
        """`count` logins per thread, one thread per body; logins/s over the wall time."""
        barrier = threading.Barrier(len(bodies) + 1)
        results: list[list[float]] = [[] for _ in bodies]

        def worker(index: int) -> None:
            client = self.app.test_client()
            barrier.wait()
            for _ in range(count):
                started = time.perf_counter()
                response = client.post("/api/v1/auth/login", json=bodies[index])
                results[index].append(time.perf_counter() - started)
                assert response.status_code == expect

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(bodies))]
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        samples = [s for r in results for s in r]
        return {"threads": len(bodies), **summary(samples), "per_second": round(len(samples) / wall, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench/auth.py", description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=200, help="logins per measurement")
    parser.add_argument("--hashes", type=int, default=100, help="argon2 operations per raw measurement")
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temporary directory")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="bench-auth-") as directory:
        bench = Bench(args.database_url, Path(directory))
        emails = [bench.open_account() for _ in range(max(2, cores))]
        device = bench.device_token(emails[0])
        warm = {"email": emails[0], "password": PASSWORD}
        bench.logins(warm, 10, 200)  # warm-up
        results = {
            "raw_argon2_cffi": raw_argon2(args.hashes),
            "ours_passwords": ours_argon2(args.hashes),
            "login_password_step": bench.logins(warm, args.logins, 200),
            "login_remembered_device": bench.logins({**warm, "device_token": device, "client": "mobile"},
                                                    args.logins, 200),
            "login_unknown_email": bench.logins(None, args.logins, 401),
        }
        for key in ("login_password_step", "login_remembered_device", "login_unknown_email"):
            results[key] = summary(results[key])
        results["login_password_step_concurrent"] = bench.concurrent(
            [{"email": email, "password": PASSWORD} for email in emails[:cores]], args.logins // cores, 200)
        bench.runtime.dispose()
    raw_verify = results["raw_argon2_cffi"]["verify"]["mean_ms"]
    results["login_overhead_beyond_verify_ms"] = round(results["login_password_step"]["mean_ms"] - raw_verify, 2)
    results["unknown_minus_known_ms"] = round(results["login_unknown_email"]["mean_ms"]
                                              - results["login_password_step"]["mean_ms"], 2)
    report = {"benchmark": "auth", "when": datetime.now(UTC).isoformat(), "cores": cores,
              "database": "postgresql" if args.database_url else "sqlite",
              "argon2": {"memory_kib": passwords.MEMORY_KIB, "time_cost": passwords.TIME_COST,
                         "parallelism": passwords.PARALLELISM}, "results": results}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results" / f"auth-{datetime.now(UTC):%Y-%m-%d}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {out.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

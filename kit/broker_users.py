"""python -m kit.broker_users provision|definitions — a RabbitMQ user per service (issue 11, DESIGN §8).

Every service, the gateway and outside subscribers connect as a user of their own, named
`<prefix>-<who>` (`mypage-auth`, `mypage-gateway`, `mypage-subscriber`; `<prefix>` is the
exchange name without `.events`, kit.topology), with the least the code needs (`grants`):

- a service configures, writes and reads only its own queues (`mypage.<service>`, its retry,
  parking and search queues), binds its event types to `mypage.archive` / `mypage.discard`
  (which it cannot read), and may declare the two exchanges;
- on the events exchange its topic permission lets it publish only routing keys that start with
  its own name (`profile.…` for profile): a `profile.seeker.changed.v1` from any other user is
  refused by the broker (ACCESS_REFUSED, the channel closed), and so is one routed through the
  dead-letter exchange (a topic exchange for that reason) to another service's queue;
- the gateway binds its own revocation queues to the two revocation types and publishes nothing;
- the subscriber user of other Hello Work systems reads events into queues named `hellowork.*`
  it declares itself, and publishes nothing;
- the employer user of the employer-side system publishes only `employer.posting.*` (J1 by events,
  services/jobs/employer_events.py) and reads, into its own `hellowork.*` queues, only jobs' answers
  (`jobs.posting.accepted.v1` / `jobs.posting.rejected.v1`).

Passwords are never in a file of this repository: `provision` takes them from the URLs the
processes will use (MYPAGE_<WHO>_AMQP_URL; MYPAGE_SUBSCRIBER_AMQP_URL and MYPAGE_EMPLOYER_AMQP_URL
optional), hashes them as RabbitMQ does (salted SHA-256) and imports users, permissions and topic permissions as one
definitions document — through the management API when MYPAGE_RABBITMQ_ADMIN_URL names it
(http://admin:password@host:15672), else with `rabbitmqctl import_definitions` (from stdin) on this machine's
node. Importing again sets the same permissions and the given passwords (idempotent).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from kit import topology
from kit.settings import DEFAULT_EXCHANGE, SERVICES, ConfigurationError

GATEWAY = "gateway"
SUBSCRIBER = "subscriber"
EMPLOYER = "employer"
WHO = (*SERVICES, GATEWAY)  # every process of My Page connects as one of these
OUTSIDE = (SUBSCRIBER, EMPLOYER)  # other Hello Work systems; provisioned when their URL is given
# What the employer-side system publishes and the answers it reads (services/jobs/employer_events.py).
EMPLOYER_PUBLISHES = r"^employer\.posting\.(published|changed|closed)\.v1$"
EMPLOYER_READS = r"^jobs\.posting\.(accepted|rejected)\.v1$"
# The gateway's revocation queues bind only these (gateway/security.py).
GATEWAY_KEYS = ("auth.session.revoked.v1", "auth.client_tokens.revoked.v1")
NOTHING = "^$"
HASHING = "rabbit_password_hashing_sha256"
API_TIMEOUT = 30.0


@dataclass(frozen=True)
class Grant:
    """One user's rights on one virtual host: regexes over resource names, and per topic exchange
    (write, read) regexes over routing keys."""

    user: str
    configure: str
    write: str
    read: str
    topics: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def user_name(who: str, exchange: str = DEFAULT_EXCHANGE) -> str:
    return f"{topology.queue_prefix(exchange)}-{who}"


def _any(*patterns: str) -> str:
    return "^(" + "|".join(patterns) + ")$"


def grant(who: str, exchange: str = DEFAULT_EXCHANGE) -> Grant:
    """What `who` (a service, the gateway or the subscriber) may do on the broker."""
    events = re.escape(exchange)
    dlx = re.escape(topology.dead_letter_exchange(exchange).name)
    prefix = re.escape(topology.queue_prefix(exchange))
    if who in OUTSIDE:  # queues of their own; the employer-side system also publishes its three types
        own = r"hellowork\..+"
        if who == SUBSCRIBER:
            return Grant(user_name(who, exchange), configure=_any(own), write=_any(own), read=_any(own, events),
                         topics={exchange: (NOTHING, ".*")})
        return Grant(user_name(who, exchange), configure=_any(own), write=_any(own, events), read=_any(own, events),
                     topics={exchange: (EMPLOYER_PUBLISHES, EMPLOYER_READS)})
    if who == GATEWAY:
        own = rf"{prefix}\.gateway\..+"
        keys = "|".join(re.escape(key) for key in GATEWAY_KEYS)
        return Grant(user_name(who, exchange), configure=_any(own, events), write=_any(own),
                     read=_any(own, events), topics={exchange: (NOTHING, _any(keys))})
    if who not in SERVICES:
        raise ConfigurationError(f"no broker user for {who!r}")
    own = rf"{prefix}\.{re.escape(who)}(\..+)?"  # its queue, .retry.<delay>, .parked, .parking, .search.<node>
    shared = rf"{prefix}\.(archive|discard)"  # bound to its event types by migrate; never read
    topics = {exchange: (rf"^{re.escape(who)}\..+$", ".*"),  # publish only its own event types
              topology.dead_letter_exchange(exchange).name: (_any(own), ".*")}  # retry or park only its own
    return Grant(user_name(who, exchange), configure=_any(own, shared, events, dlx),
                 write=_any(own, shared, events, dlx), read=_any(own, events, dlx), topics=topics)


def password_hash(password: str, salt: bytes | None = None) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt ‖ sha256(salt ‖ password)), a 4-byte salt."""
    salt = secrets.token_bytes(4) if salt is None else salt
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def definitions(passwords: Mapping[str, str], vhost: str = "/", exchange: str = DEFAULT_EXCHANGE) -> dict:
    """A definitions document with the users of `passwords` ({who: password}), their permissions and
    topic permissions on `vhost` — nothing else, so importing it touches no exchange, queue or other user."""
    document: dict = {"users": [], "permissions": [], "topic_permissions": []}
    for who, password in passwords.items():
        rights = grant(who, exchange)
        document["users"].append({"name": rights.user, "password_hash": password_hash(password),
                                  "hashing_algorithm": HASHING, "tags": []})
        document["permissions"].append({"user": rights.user, "vhost": vhost, "configure": rights.configure,
                                        "write": rights.write, "read": rights.read})
        document["topic_permissions"].extend(
            {"user": rights.user, "vhost": vhost, "exchange": name, "write": write, "read": read}
            for name, (write, read) in rights.topics.items())
    return document


class Admin:
    """Where definitions are imported: the management API (`api_url`) or this machine's `rabbitmqctl`."""

    def __init__(self, api_url: str | None = None, *, node: str | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.api_url = api_url
        self.node = node
        self.environ = dict(os.environ if environ is None else environ)

    def import_definitions(self, document: dict) -> None:
        body = json.dumps(document)
        if self.api_url:
            self._api("POST", "/api/definitions", body)
        else:
            self._rabbitmqctl("import_definitions", "--format", "json", stdin=body)  # from stdin

    def delete_users(self, names: Iterable[str]) -> None:
        for name in names:
            if self.api_url:
                self._api("DELETE", f"/api/users/{quote(name, safe='')}", missing_ok=True)
            else:
                self._rabbitmqctl("delete_user", name, missing_ok=True)

    def _api(self, method: str, path: str, body: str | None = None, *, missing_ok: bool = False) -> None:
        parts = urlsplit(self.api_url)
        base = urlunsplit((parts.scheme, parts.hostname + (f":{parts.port}" if parts.port else ""), "", "", ""))
        request = urllib.request.Request(base + path, method=method, data=body.encode() if body else None,
                                         headers={"content-type": "application/json"})
        token = base64.b64encode(f"{unquote(parts.username or '')}:{unquote(parts.password or '')}".encode())
        request.add_header("authorization", "Basic " + token.decode())
        try:
            with urllib.request.urlopen(request, timeout=API_TIMEOUT):
                pass
        except urllib.error.HTTPError as error:
            if not (missing_ok and error.code == 404):
                raise ConfigurationError(f"RabbitMQ management API {method} {path}: {error.code} "
                                         f"{error.read()[:300].decode(errors='replace')}") from error
        except OSError as error:
            raise ConfigurationError(f"RabbitMQ management API at {base} cannot be reached: {error}") from error

    def _rabbitmqctl(self, *arguments: str, stdin: str | None = None, missing_ok: bool = False) -> None:
        command = ["rabbitmqctl", *(["--node", self.node] if self.node else []), *arguments]
        try:
            done = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=120,
                                  env=self.environ, check=False)
        except FileNotFoundError as error:
            raise ConfigurationError("no rabbitmqctl on this machine: set MYPAGE_RABBITMQ_ADMIN_URL to the "
                                     "management API (http://admin:password@host:15672)") from error
        if done.returncode != 0 and not (missing_ok and "does not exist" in done.stdout + done.stderr):
            raise ConfigurationError(f"rabbitmqctl {arguments[0]} failed (exit {done.returncode}; it needs the "
                                     f"node's Erlang cookie, e.g. root, or set MYPAGE_RABBITMQ_ADMIN_URL): "
                                     f"{(done.stderr or done.stdout).strip()[-500:]}")


def url_for(who: str, broker_url: str, password: str, exchange: str = DEFAULT_EXCHANGE) -> str:
    """`broker_url` (any user's) with `who`'s user name and `password` in it."""
    parts = urlsplit(broker_url)
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    netloc = f"{quote(user_name(who, exchange), safe='')}:{quote(password, safe='')}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def vhost_of(url: str) -> str:
    path = urlsplit(url).path
    return unquote(path[1:]) if len(path) > 1 else "/"


def passwords_from(environ: Mapping[str, str], exchange: str) -> tuple[dict[str, str], str]:
    """{who: password} from MYPAGE_<WHO>_AMQP_URL (each user named as `user_name` says), and their vhost."""
    passwords, vhosts = {}, set()
    for who in (*WHO, *OUTSIDE):
        variable = f"MYPAGE_{who.upper()}_AMQP_URL"
        url = environ.get(variable, "").strip()
        if not url:
            if who in OUTSIDE:
                continue
            raise ConfigurationError(f"{variable} is not set: every process connects as its own user")
        parts = urlsplit(url)
        if unquote(parts.username or "") != user_name(who, exchange) or not parts.password:
            raise ConfigurationError(f"{variable} must name the user {user_name(who, exchange)!r} and a password")
        passwords[who] = unquote(parts.password)
        vhosts.add(vhost_of(url))
    if len(vhosts) != 1:
        raise ConfigurationError(f"the MYPAGE_*_AMQP_URL values name more than one virtual host: {sorted(vhosts)}")
    return passwords, vhosts.pop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kit.broker_users", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["provision", "definitions"],
                        help="provision: import the users into RabbitMQ; definitions: print the document")
    args = parser.parse_args(argv)
    exchange = os.environ.get("MYPAGE_EXCHANGE", DEFAULT_EXCHANGE)
    try:
        passwords, vhost = passwords_from(os.environ, exchange)
        document = definitions(passwords, vhost, exchange)
        if args.command == "definitions":
            print(json.dumps(document, indent=2))
            return 0
        Admin(os.environ.get("MYPAGE_RABBITMQ_ADMIN_URL") or None).import_definitions(document)
    except ConfigurationError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"RabbitMQ users on {vhost}: {', '.join(user['name'] for user in document['users'])}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

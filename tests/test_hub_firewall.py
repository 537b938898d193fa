"""The learners' loopback rule set (deploy/jupyterhub/learner_firewall.py): what it says, and what it
does on this machine.

The first tests read the generated rule set. The last loads it for real (as root with nft, on a
table of its own that it removes again), with a Unix user made for the test in the learners' place,
and checks on 127.0.0.1 and ::1 only, never an address off this machine: the learner opens the
hub's API port but no other loopback port, TCP or UDP; the proxy (here root) still reaches the
learner's own server and gets its answers; and without the rule set the same learner reaches the
port it was refused (so it is the rule set that refuses it). Skipped where nft or root is missing.
"""

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy" / "jupyterhub"))
import learner_firewall  # noqa: E402


def test_the_rule_set_is_generated_from_the_hubs_config():
    ip, port = learner_firewall.hub_api()
    assert (ip, port) == ("127.0.0.1", 8081)
    rules = learner_firewall.ruleset(ip, port)
    lines = [line.strip() for line in rules.splitlines()]
    chain = lines[lines.index("type filter hook output priority filter; policy accept;") + 1 :]
    assert chain[0] == "ct state established,related accept"  # the answers of connections already made come first
    assert chain[1] == 'meta skuid 61184-65519 oifname "lo" ip daddr 127.0.0.1 tcp dport 8081 accept'
    assert chain[2].startswith("meta skuid 61184-65519") and "reject" in chain[2]  # every other new connection
    assert chain[3] == "meta skuid 61184-65519 reject with icmpx admin-prohibited"
    assert rules.count("accept") == 3  # the policy, the answers and the hub's API: nothing else for a learner


def test_bad_settings_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="hub_ip: expected a loopback address"):
        learner_firewall.ruleset("0.0.0.0", 8081)
    with pytest.raises(ValueError, match="hub_port"):
        learner_firewall.ruleset("127.0.0.1", 0)
    with pytest.raises(ValueError, match="never root"):
        learner_firewall.ruleset("127.0.0.1", 8081, uids=(0, 10))


def test_learners_are_the_dynamic_users_and_the_proxy_is_not_one():
    proxy = (ROOT / "deploy" / "jupyterhub" / "jupyterhub-proxy.service").read_text()
    assert "DynamicUser=yes" not in proxy and "User=lstmlearn-proxy" in proxy
    unit = (ROOT / "deploy" / "jupyterhub" / "learner-firewall.service").read_text()
    assert "Before=lstmlearn-hub.service" in unit and "nft -f /srv/lstmlearn-hub/learners.nft" in unit


def _nft_works() -> str:
    if os.geteuid() != 0 or not shutil.which("nft") or not shutil.which("useradd"):
        return "needs root, nft and useradd"
    probe = "table inet lstmlearn_probe\ndelete table inet lstmlearn_probe\n"
    if subprocess.run(["nft", "-f", "-"], input=probe, text=True, capture_output=True).returncode:
        return "nft cannot load a table here (no CAP_NET_ADMIN or no nf_tables)"
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return f"the learner runs {SYSTEM_PYTHON}, which is missing"
    return ""


SYSTEM_PYTHON = "/usr/bin/python3"  # a Python the test's learner may run (the test's own may be in a private folder)


LEARNER = """
import socket, sys
results = []
for family, host, port in [(socket.AF_INET, "127.0.0.1", {hub}), (socket.AF_INET, "127.0.0.1", {other}),
                           (socket.AF_INET6, "::1", {other6})]:
    if port == 0:
        results.append("skip"); continue
    s = socket.socket(family, socket.SOCK_STREAM); s.settimeout(5)
    try:
        s.connect((host, port)); results.append("open")
    except OSError as err:
        results.append(type(err).__name__)
    finally:
        s.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    u.sendto(b"x", ("127.0.0.1", {udp})); results.append("sent")
except OSError as err:
    results.append(type(err).__name__)
print(" ".join(results))
"""

OWN_SERVER = """
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); c.sendall(c.recv(100) + b" answered"); c.close()
"""


def _listen(family=socket.AF_INET, host="127.0.0.1", kind=socket.SOCK_STREAM):
    s = socket.socket(family, kind)
    s.bind((host, 0))
    if kind == socket.SOCK_STREAM:
        s.listen(8)
    return s


@pytest.mark.slow
def test_a_learner_opens_the_hubs_api_and_no_other_loopback_port(tmp_path):
    why = _nft_works()
    if why:
        pytest.skip(why)
    name, table = f"lstmlearn-fw{os.getpid()}", f"lstmlearn_test_{os.getpid()}"
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    sockets = []
    try:
        learner = pwd.getpwnam(name)
        hub, other, udp = _listen(), _listen(), _listen(kind=socket.SOCK_DGRAM)
        sockets += [hub, other, udp]
        try:
            other6 = _listen(socket.AF_INET6, "::1")
            sockets.append(other6)
        except OSError:  # no IPv6 loopback here
            other6 = None
        for s in sockets:
            if s.type == socket.SOCK_STREAM:
                threading.Thread(target=lambda s=s: [s.accept()[0].close() for _ in range(8)], daemon=True).start()
        ports = dict(hub=hub.getsockname()[1], other=other.getsockname()[1], udp=udp.getsockname()[1])
        ports["other6"] = other6.getsockname()[1] if other6 else 0
        rules = learner_firewall.ruleset("127.0.0.1", ports["hub"], uids=(learner.pw_uid, learner.pw_uid), table=table)
        rules_file = tmp_path / "learners.nft"
        rules_file.write_text(rules)
        as_learner = dict(user=learner.pw_uid, group=learner.pw_gid, extra_groups=[], cwd="/")
        python = [SYSTEM_PYTHON, "-I", "-c"]

        def learner_tries():
            udp.settimeout(1)
            out = subprocess.run(python + [LEARNER.format(**ports)], capture_output=True, text=True, **as_learner)
            assert out.returncode == 0, out.stderr
            with contextlib.suppress(TimeoutError):
                if udp.recv(10) == b"x":
                    return out.stdout.split() + ["arrived"]
            return out.stdout.split() + ["not-arrived"]

        assert learner_tries()[:2] == ["open", "open"]  # the control: without the rule set every port is open
        subprocess.run(["nft", "-f", str(rules_file)], check=True)
        try:
            hub_api, other_port, other_v6, _, datagram = learner_tries()
            assert hub_api == "open"
            assert other_port == "ConnectionRefusedError"  # another learner's server, the proxy's API, ...
            assert other_v6 in ("ConnectionRefusedError", "skip")
            assert datagram == "not-arrived"
            # the proxy (not a learner) opens the learner's own server, and gets its answers
            server = subprocess.Popen(
                python + [textwrap.dedent(OWN_SERVER)], stdout=subprocess.PIPE, text=True, **as_learner
            )
            port = int(server.stdout.readline())
            with socket.create_connection(("127.0.0.1", port), timeout=5) as proxy:
                proxy.sendall(b"request")
                assert proxy.recv(100) == b"request answered"
            server.wait(timeout=10)
            # loading the file again replaces the table, it does not add a second copy of the rules
            subprocess.run(["nft", "-f", str(rules_file)], check=True)
            listed = subprocess.run(["nft", "list", "table", "inet", table], capture_output=True, text=True).stdout
            assert listed.count("reject with tcp reset") == 1
        finally:
            subprocess.run(["nft", "delete", "table", "inet", table], check=False)
        assert learner_tries()[1] == "open"  # and without it again, open: it was the rule set that refused
    finally:
        for s in sockets:
            s.close()
        subprocess.run(["userdel", name], check=False)

"""JupyterHub for an lstmlearn workshop on one Linux server.

Each learner signs up, the instructor approves them, and on every start of their server
the learner gets their own copy of the course in ~/lstmlearn (laid out by
`python -m lstmlearn course`, which never overwrites what a learner changed) and their own
JupyterLab, limited in memory and CPU by systemd; servers idle for an hour are stopped.

    sudo LSTMLEARN_HUB_DOMAIN=hub.example.org /opt/lstmlearn-hub/bin/jupyterhub \\
        -f /opt/lstmlearn/deploy/jupyterhub/jupyterhub_config.py

docs/INSTRUCTOR_GUIDE.md ("A JupyterHub for the class") has the installation step by step,
the measurements behind the limits below, and the deployment's security. The load test
(benchmarks/workshop_load.py) runs this file through load_test_config.py, which changes only
what a test on one machine must: the address, the authenticator and the spawner.

Settings from the environment (the systemd unit jupyterhub.service sets them):
    LSTMLEARN_HUB_DOMAIN   the hub's public name; with it the hub serves HTTPS on port 443
                           with the certificate certbot keeps in /etc/letsencrypt/live/DOMAIN/.
                           Without it the hub listens on http://127.0.0.1:8000 only (for a
                           TLS-terminating reverse proxy on the same machine, or a first look).
    LSTMLEARN_HUB_ADMIN    the instructor's user name (default: instructor)
    LSTMLEARN_HUB_STATE    the hub's own files: database, cookie secret (default: /srv/lstmlearn-hub)
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)

# --- Sizing: measured with benchmarks/workshop_load.py (docs/INSTRUCTOR_GUIDE.md, "Sizing").
MEMORY_LIMIT = "1G"  # per learner: the largest measured peak (server + kernel) plus headroom
CPU_LIMIT = 1.0  # per learner, in cores: one learner's training cell cannot take the machine
BLAS_THREADS = "1"  # OPENBLAS_NUM_THREADS per learner (training cells on a shared machine)
CULL_IDLE_AFTER_S = 3600  # stop a learner's server after an hour without activity
MAX_LEARNERS = 60  # active servers at once; set it to the class size the machine was sized for

# --- Where things are.
HERE = Path(__file__).resolve().parent
COURSE_ENV = Path(sys.prefix)  # the environment that runs the hub also runs the learners' servers
PYTHON = COURSE_ENV / "bin" / "python"
COURSE_DIR = "lstmlearn"  # each learner's copy of the course, in their home
STATE = Path(os.environ.get("LSTMLEARN_HUB_STATE", "/srv/lstmlearn-hub"))
DOMAIN = os.environ.get("LSTMLEARN_HUB_DOMAIN", "")
ADMIN = os.environ.get("LSTMLEARN_HUB_ADMIN", "instructor")
LOCAL_PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"  # npm ci --prefix deploy/jupyterhub

# --- Network: HTTPS on a public name, or loopback only. Never plain HTTP on a public address.
if DOMAIN:
    c.JupyterHub.bind_url = "https://:443"
    c.JupyterHub.ssl_cert = f"/etc/letsencrypt/live/{DOMAIN}/fullchain.pem"
    c.JupyterHub.ssl_key = f"/etc/letsencrypt/live/{DOMAIN}/privkey.pem"
    c.JupyterHub.tornado_settings = {"headers": {"Strict-Transport-Security": "max-age=31536000"}}
else:
    c.JupyterHub.bind_url = "http://127.0.0.1:8000"
c.JupyterHub.hub_ip = "127.0.0.1"  # the hub's API: reached by the proxy and the servers only
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:8001"
c.ConfigurableHTTPProxy.command = [str(LOCAL_PROXY) if LOCAL_PROXY.exists() else "configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server
c.JupyterHub.active_server_limit = MAX_LEARNERS
c.JupyterHub.concurrent_spawn_limit = 20

# --- Who may log in: learners sign up; nobody gets in until the instructor approves them
# (at /hub/authorize). The instructor's account is approved when it signs up: sign it up
# first, before the address is shared.
c.JupyterHub.authenticator_class = "native"
c.NativeAuthenticator.open_signup = False
c.NativeAuthenticator.minimum_password_length = 10
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 120
c.Authenticator.allow_all = True  # "all" means every approved account: approval is the allow list
c.Authenticator.admin_users = {ADMIN}

# --- Each learner's server: a systemd unit under a dynamic user (no Unix accounts to
# create; the home is /var/lib/NAME and persists), limited in memory and CPU.
c.JupyterHub.spawner_class = "systemd"
c.SystemdSpawner.dynamic_users = True
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
c.Spawner.mem_limit = MEMORY_LIMIT
c.Spawner.cpu_limit = CPU_LIMIT
c.Spawner.disable_user_config = True  # a learner's ~/.jupyter cannot change how the server runs
c.Spawner.default_url = f"/lab/tree/{COURSE_DIR}"
c.Spawner.environment = {
    "PATH": f"{COURSE_ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": BLAS_THREADS,
}
# Lay out the course, then start JupyterLab. `lstmlearn course` adds what is missing and
# leaves the learner's own changes alone, so it runs on every start; if it fails the
# learner still gets their server, and the reason is in the hub's log.
# (No braces in these strings: SystemdSpawner expands {USERNAME} in them.)
LAY_OUT_COURSE_THEN_START = (
    f'"{PYTHON}" -m lstmlearn course "$HOME/{COURSE_DIR}" --learner'
    ' || echo "lstmlearn course failed, starting the server without it" >&2;'
    f' exec "{COURSE_ENV / "bin" / "jupyterhub-singleuser"}" "$@"'
)
c.Spawner.cmd = ["/bin/sh", "-c", LAY_OUT_COURSE_THEN_START, "jupyterhub-singleuser"]

# --- Idle servers are stopped (their files stay).
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={CULL_IDLE_AFTER_S}", "--cull-every=300"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]

"""JupyterHub for an lstmlearn workshop on one Linux server.

Each learner signs up and the instructor approves them (or create_class.py beside this file
makes the class's accounts at once, with one-time passwords), and on every start of their server
the learner gets their own copy of the course in ~/lstmlearn (laid out by
`python -m lstmlearn course`, which never overwrites what a learner changed) and their own
JupyterLab, limited by systemd in memory, CPU, disk (a home of its own size) and network
(loopback only); servers idle for an hour are stopped. The proxy runs as a unit of its own
(lstmlearn-hub-proxy.service) and learners' servers are not stopped with the hub, so a
restart of the hub (an update, a crash) leaves every learner's kernel running.

    systemctl start lstmlearn-hub lstmlearn-hub-proxy      (the units beside this file)

docs/INSTRUCTOR_GUIDE.md ("A JupyterHub for the class") has the installation step by step,
the measurements behind the limits below, and the deployment's security. The load test
(benchmarks/workshop_load.py) runs this file through load_test_config.py, which changes only
what a test on one machine must: the address, the authenticator and the spawner.

Settings from the environment (the systemd unit jupyterhub.service sets them):
    LSTMLEARN_HUB_DOMAIN   the hub's public name; with it the hub serves HTTPS on port 443
                           with the certificate certbot keeps in /etc/letsencrypt/live/DOMAIN/.
                           Without it the hub listens on http://127.0.0.1:8000 only (for a
                           TLS-terminating reverse proxy on the same machine, or a first look).
    LSTMLEARN_HUB_ADMIN    the instructor's user name, chosen at install (no default: a name
                           nobody can guess; it signs up over an SSH tunnel before the hub is public)
    LSTMLEARN_HUB_STATE    the hub's own files: database, cookie secret (default: /srv/lstmlearn-hub)
    LSTMLEARN_HUB_HOMES    the learners' home images, one file system each (default: /srv/lstmlearn-homes)
    CONFIGPROXY_AUTH_TOKEN the proxy's API token, shared with lstmlearn-hub-proxy.service
                           (from /srv/lstmlearn-hub/proxy.env, made at install)
"""

import importlib.util
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)

# --- Sizing: measured with benchmarks/workshop_load.py (docs/INSTRUCTOR_GUIDE.md, "Sizing").
MEMORY_LIMIT = "1G"  # per learner: the largest measured peak (server + kernel) plus headroom
CPU_LIMIT = 1.0  # per learner, in cores: one learner's training cell cannot take the machine
BLAS_THREADS = "1"  # OPENBLAS_NUM_THREADS per learner (training cells on a shared machine)
HOME_SIZE = "1G"  # per learner: each home is a file system of this size (as the Kubernetes config's 1 GiB)
CULL_IDLE_AFTER_S = 3600  # stop a learner's server after an hour without activity
MAX_LEARNERS = 30  # active servers at once: the class the guide's sizing table sizes (tests/test_hub_deploy.py)
HUB_API_PORT = 8081  # the hub's API on 127.0.0.1: the one loopback port a learner may open (learner_firewall.py)

# --- Where things are.
HERE = Path(__file__).resolve().parent
COURSE_ENV = Path(sys.prefix)  # the environment that runs the hub also runs the learners' servers
# JupyterLab's defaults for the course (lstmlearn/lab.py): no question about Jupyter news over
# the explorers. Found without importing the package (the hub need not load numpy).
LAB_DEFAULTS = Path(importlib.util.find_spec("lstmlearn").origin).parent / "jupyter_config"
PYTHON = COURSE_ENV / "bin" / "python"
COURSE_DIR = "lstmlearn"  # each learner's copy of the course, in their home
STATE = Path(os.environ.get("LSTMLEARN_HUB_STATE", "/srv/lstmlearn-hub"))
DOMAIN = os.environ.get("LSTMLEARN_HUB_DOMAIN", "")
ADMIN = os.environ.get("LSTMLEARN_HUB_ADMIN", "")
HOMES = Path(os.environ.get("LSTMLEARN_HUB_HOMES", "/srv/lstmlearn-homes"))
LOCAL_PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"  # npm ci --prefix deploy/jupyterhub

# --- Network. The public side is the proxy's (lstmlearn-hub-proxy.service: HTTPS on 443 with
# the certificate of LSTMLEARN_HUB_DOMAIN); the hub's API and the proxy's API listen on
# 127.0.0.1. Without a domain the hub is reached on http://127.0.0.1:8000 only.
c.JupyterHub.bind_url = "https://:443" if DOMAIN else "http://127.0.0.1:8000"
if DOMAIN:
    c.JupyterHub.tornado_settings = {"headers": {"Strict-Transport-Security": "max-age=31536000"}}
c.JupyterHub.hub_ip = "127.0.0.1"  # the hub's API: reached by the proxy and the servers only
c.JupyterHub.hub_port = HUB_API_PORT
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:8001"
c.ConfigurableHTTPProxy.should_start = False  # its own unit: a hub restart does not drop the learners' connections
c.ConfigurableHTTPProxy.command = [str(LOCAL_PROXY) if LOCAL_PROXY.exists() else "configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = False  # stopping the hub leaves learners' servers (and kernels) running
c.JupyterHub.active_server_limit = MAX_LEARNERS
c.JupyterHub.concurrent_spawn_limit = 20

# --- Who may log in: learners sign up; nobody gets in until the instructor approves them
# (at /hub/authorize). The instructor's account is approved when it signs up, so its name is
# chosen at install and it signs up over an SSH tunnel before the proxy makes the hub public
# (docs/INSTRUCTOR_GUIDE.md): nobody else can sign up under it first.
if not ADMIN:
    raise SystemExit(
        "LSTMLEARN_HUB_ADMIN is not set: choose the instructor's user name at install (a name of your own, "
        "not a common one such as instructor or admin) and set it in lstmlearn-hub.service."
    )
c.JupyterHub.authenticator_class = "native"
c.NativeAuthenticator.open_signup = False
c.NativeAuthenticator.minimum_password_length = 10
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 120
c.Authenticator.allow_all = True  # "all" means every approved account: approval is the allow list
c.Authenticator.admin_users = {ADMIN}

# --- Each learner's server: a systemd unit under a dynamic user (no Unix accounts to
# create; the home is /var/lib/NAME and persists), limited in memory, CPU, disk and network.
c.JupyterHub.spawner_class = "systemd"
c.SystemdSpawner.dynamic_users = True
c.SystemdSpawner.isolate_tmp = False  # PrivateTmp would sit on the root disk; /tmp is a bounded tmpfs instead
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
LEARNER_UNIT = {
    # Network: loopback only (the hub's API, the proxy reaching the server); never the cloud
    # metadata address 169.254.169.254, the local network or the internet. These controls are per
    # address: which loopback ports a learner may open is learner_firewall.py's nftables rule set.
    "IPAddressDeny": "any",
    "IPAddressAllow": "localhost",
    "RestrictNetworkInterfaces": "lo",
    # Disk: the home is a file system of HOME_SIZE (prepare_home below); everything else is
    # read-only, and /tmp is a small tmpfs counted in the memory limit.
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "TemporaryFileSystem": "/tmp:size=100M",
    "InaccessiblePaths": [str(STATE), str(HOMES)],  # the hub's database and the other learners' images
}
c.SystemdSpawner.unit_extra_properties = LEARNER_UNIT


def home_image_commands(username: str, homes: Path = HOMES, size: str = HOME_SIZE) -> tuple:
    """(image, home, make, mount): the learner's home image, where it is mounted, and the
    commands that make it (once) and mount it (before each start)."""
    image, home = homes / f"{username}.img", Path("/var/lib/private") / username
    make = [["truncate", "-s", size, str(image)], ["mkfs.ext4", "-q", "-F", "-m", "0", str(image)]]
    mount = [["mkdir", "-p", str(home)], ["mount", "-o", "loop,nosuid,nodev", str(image), str(home)]]
    return image, home, make, mount


def prepare_home(spawner) -> None:
    """Before a learner's server starts: their home is a file system of HOME_SIZE of its own, so a
    full home stops that learner only, never the class or the hub (whose state is on another disk)."""
    import subprocess

    image, home, make, mount = home_image_commands(spawner.user.name)
    image.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    for command in make if not image.exists() else []:
        subprocess.run(command, check=True)
    for command in mount if not os.path.ismount(home) else []:
        subprocess.run(command, check=True)


c.Spawner.pre_spawn_hook = prepare_home
c.Spawner.mem_limit = MEMORY_LIMIT
c.Spawner.cpu_limit = CPU_LIMIT
c.Spawner.disable_user_config = True  # a learner's ~/.jupyter cannot change how the server runs
c.Spawner.default_url = f"/lab/tree/{COURSE_DIR}"
c.Spawner.environment = {
    "PATH": f"{COURSE_ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": BLAS_THREADS,
    "JUPYTER_CONFIG_PATH": str(LAB_DEFAULTS),  # as `lstmlearn lab` sets it; the learner's own settings still win
    # The kernels' Unix sockets (below) live here: a Unix socket's path must be under 108 bytes, which
    # kernel-<uuid>-ipc-N in ~/.local/share/jupyter/runtime exceeds for a long home path or user name.
    # /tmp is the learner's own (TemporaryFileSystem above).
    "JUPYTER_RUNTIME_DIR": "/tmp/jupyter-runtime",
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
# Kernels talk to their server over Unix sockets in the learner's own runtime folder, not loopback
# TCP ports: a learner's server needs no loopback port but the hub's API (learner_firewall.py), and
# no learner can reach another's kernel.
c.Spawner.args = ["--KernelManager.transport=ipc"]

# --- Idle servers are stopped (their files stay).
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_IDLE_AFTER_S}",
            "--cull-every=300",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]

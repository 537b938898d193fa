"""The workshop hub as benchmarks/workshop_load.py runs it on one machine. TEST ONLY.

It loads jupyterhub_config.py (course layout, culling, the learners' environment, the
proxy: everything that is tested) and then changes only what a test on one machine must:

- the hub listens on 127.0.0.1 only, on free ports the load test chose, and starts the
  proxy itself (and stops the servers when it stops), so the test leaves nothing running;
- NullAuthenticator: nobody can log in at all; the load test acts through the REST API
  with a random token that exists only for the length of the run;
- SimpleLocalProcessSpawner: every learner's server runs as the user who runs the test,
  with its home in the test's temporary folder. It has no isolation between learners and
  no memory or CPU limit (the measurements are what a learner uses when nothing limits it).

Never use this file for a class: anyone who can reach the machine could act as any
learner, and every learner could read and change every other learner's files.

Set by the load test: LSTMLEARN_HUB_STATE (a temporary folder), LSTMLEARN_LOAD_PORTS
("public,hub,proxy-api"), LSTMLEARN_LOAD_TOKEN, LSTMLEARN_LOAD_RUN (a mark that every
process of the run carries in its environment, so that the test can find any left running)
and LSTMLEARN_LOAD_BLAS_THREADS (OPENBLAS_NUM_THREADS for the learners; empty: not set).
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821
os.environ.setdefault("LSTMLEARN_HUB_ADMIN", "nobody")  # nobody logs in here (NullAuthenticator below)
load_subconfig(str(Path(__file__).resolve().with_name("jupyterhub_config.py")))  # noqa: F821

STATE = Path(os.environ["LSTMLEARN_HUB_STATE"])
PUBLIC_PORT, HUB_PORT, PROXY_API_PORT = (int(p) for p in os.environ["LSTMLEARN_LOAD_PORTS"].split(","))
TOKEN = os.environ["LSTMLEARN_LOAD_TOKEN"]
RUN_MARK = {"LSTMLEARN_LOAD_RUN": os.environ["LSTMLEARN_LOAD_RUN"]}

c.JupyterHub.bind_url = f"http://127.0.0.1:{PUBLIC_PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = HUB_PORT
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
c.ConfigurableHTTPProxy.should_start = True  # one process tree, ended with the test
c.JupyterHub.cleanup_servers = True

c.JupyterHub.authenticator_class = "null"
c.Authenticator.admin_users = set()

c.JupyterHub.spawner_class = "simple"
c.Spawner.pre_spawn_hook = None  # the learners' home images need root and systemd
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
c.Spawner.ip = "127.0.0.1"
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
if os.geteuid() == 0:  # the load test runs as root in CI; the single-user server refuses root without this
    c.Spawner.args = (list(c.Spawner.args) if "args" in c.Spawner else []) + ["--allow-root"]
environment = dict(c.Spawner.environment) | RUN_MARK
for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # this machine's OpenBLAS settings, if any
    if name in os.environ:
        environment[name] = os.environ[name]
blas = os.environ.get("LSTMLEARN_LOAD_BLAS_THREADS")
if blas is not None:
    environment.pop("OPENBLAS_NUM_THREADS", None)
    if blas:
        environment["OPENBLAS_NUM_THREADS"] = blas
c.Spawner.environment = environment

services = [dict(s, environment=dict(s.get("environment", {})) | RUN_MARK) for s in c.JupyterHub.services]
c.JupyterHub.services = services + [{"name": "workshop-load", "api_token": TOKEN}]
c.JupyterHub.load_roles = list(c.JupyterHub.load_roles) + [
    {
        "name": "workshop-load",
        "scopes": ["admin:users", "admin:servers", "admin:server_state", "access:servers", "list:users"],
        "services": ["workshop-load"],
    }
]

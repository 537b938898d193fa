"""The workshop deployment's files agree with each other and with the project:

- deploy/jupyterhub/jupyterhub_config.py (one server) is safe by default: HTTPS or loopback
  only, no open signup, limits, culling, and the course laid out on every start;
- load_test_config.py (what the load test runs) changes only the address, the authenticator
  and the spawner, so the load test tests the deployment's own settings;
- deploy/z2jh/values.yaml (Kubernetes) sets the same limits, culling, environment, course
  layout and authentication as the one-server hub;
- deploy/z2jh/Dockerfile installs exactly the project's packages (its dependencies, which
  include JupyterLab and ipykernel, and JupyterHub's single-user server);
- the proxy's npm pin and lock agree.
These files are read, not run: no hub starts here (tests/test_hub_load.py starts one).
"""

import ipaddress
import json
import math
import re
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
HUB = ROOT / "deploy" / "jupyterhub"
Z2JH = ROOT / "deploy" / "z2jh"


def load(name: str, monkeypatch, **env) -> dict:
    for key in ("LSTMLEARN_HUB_DOMAIN", "LSTMLEARN_HUB_ADMIN", "LSTMLEARN_HUB_STATE", "LSTMLEARN_LOAD_BLAS_THREADS"):
        monkeypatch.delenv(key, raising=False)
    if name == "jupyterhub_config.py":
        env = {"LSTMLEARN_HUB_ADMIN": "ada-lovelace", **env}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = PyFileConfigLoader(str(HUB / name)).load_config()
    return {f"{section}.{key}": value for section, values in config.items() for key, value in values.items()}


def test_without_a_domain_the_hub_listens_on_loopback_only(monkeypatch):
    c = load("jupyterhub_config.py", monkeypatch)
    assert c["JupyterHub.bind_url"] == "http://127.0.0.1:8000"
    assert c["JupyterHub.hub_ip"] == "127.0.0.1"
    assert c["ConfigurableHTTPProxy.api_url"].startswith("http://127.0.0.1:")
    assert "JupyterHub.ssl_cert" not in c


def test_with_a_domain_it_serves_https_with_lets_encrypts_certificate(monkeypatch):
    c = load(
        "jupyterhub_config.py",
        monkeypatch,
        LSTMLEARN_HUB_DOMAIN="hub.example.org",
        LSTMLEARN_HUB_ADMIN="ada",
        LSTMLEARN_HUB_STATE="/srv/x",
    )
    assert c["JupyterHub.bind_url"] == "https://:443"
    assert "Strict-Transport-Security" in c["JupyterHub.tornado_settings"]["headers"]
    proxy = (HUB / "jupyterhub-proxy.service").read_text()  # the proxy, on its own, serves the certificate
    assert "/etc/letsencrypt/live/hub.example.org/fullchain.pem" in proxy and "--port=443" in proxy
    assert c["Authenticator.admin_users"] == {"ada"}
    assert c["JupyterHub.db_url"] == "sqlite:////srv/x/jupyterhub.sqlite"
    assert c["JupyterHub.cookie_secret_file"] == "/srv/x/jupyterhub_cookie_secret"


def test_a_real_authenticator_without_open_signup_and_limited_servers(monkeypatch):
    c = load("jupyterhub_config.py", monkeypatch)
    assert c["JupyterHub.authenticator_class"] == "native"
    assert c["NativeAuthenticator.open_signup"] is False
    assert c["NativeAuthenticator.minimum_password_length"] >= 8
    assert c["Authenticator.admin_users"] == {"ada-lovelace"}
    assert c["JupyterHub.spawner_class"] == "systemd"
    assert c["SystemdSpawner.dynamic_users"] and c["SystemdSpawner.disable_user_sudo"]
    assert c["Spawner.mem_limit"] and c["Spawner.cpu_limit"] > 0
    assert c["Spawner.disable_user_config"] is True
    culler = [s for s in c["JupyterHub.services"] if s["name"] == "idle-culler"][0]
    assert "jupyterhub_idle_culler" in culler["command"] and any(a.startswith("--timeout=") for a in culler["command"])
    role = [r for r in c["JupyterHub.load_roles"] if r["name"] == "idle-culler"][0]
    assert "delete:servers" in role["scopes"] and "admin:users" not in role["scopes"]


def test_every_start_lays_out_the_course_then_starts_the_server(monkeypatch):
    c = load("jupyterhub_config.py", monkeypatch)
    shell, flag, script, name = c["Spawner.cmd"]
    assert (shell, flag) == ("/bin/sh", "-c")
    course, start = script.split(";")
    assert '-m lstmlearn course "$HOME/lstmlearn" --learner' in course
    assert "||" in course  # a failed layout still lets the learner in
    assert start.strip().startswith("exec ") and start.strip().endswith('jupyterhub-singleuser" "$@"')
    assert "{" not in script  # SystemdSpawner would expand braces in it
    assert c["Spawner.default_url"] == "/lab/tree/lstmlearn"


def test_the_load_test_changes_only_address_authenticator_and_spawner(monkeypatch):
    deployed = load("jupyterhub_config.py", monkeypatch, LSTMLEARN_HUB_STATE="/tmp/state")
    tested = load(
        "load_test_config.py",
        monkeypatch,
        LSTMLEARN_HUB_STATE="/tmp/state",
        LSTMLEARN_LOAD_PORTS="1001,1002,1003",
        LSTMLEARN_LOAD_TOKEN="t",
        LSTMLEARN_LOAD_RUN="r",
    )
    assert tested["JupyterHub.bind_url"] == "http://127.0.0.1:1001"
    assert tested["JupyterHub.authenticator_class"] == "null"  # no login at all: API token only
    assert tested["JupyterHub.spawner_class"] == "simple"
    may_change = {
        "JupyterHub.bind_url",
        "JupyterHub.hub_port",
        "ConfigurableHTTPProxy.should_start",
        "JupyterHub.cleanup_servers",
        "Spawner.pre_spawn_hook",
        "ConfigurableHTTPProxy.api_url",
        "JupyterHub.authenticator_class",
        "Authenticator.admin_users",
        "JupyterHub.spawner_class",
        "SimpleLocalProcessSpawner.home_dir_template",
        "Spawner.ip",
        "Spawner.start_timeout",
        "Spawner.http_timeout",
        "Spawner.args",
        "Spawner.environment",
        "JupyterHub.services",
        "JupyterHub.load_roles",
    }
    changed = {k for k in set(deployed) | set(tested) if deployed.get(k) != tested.get(k)}
    assert changed <= may_change, changed - may_change
    # what it adds to the environment, services and roles leaves the deployment's own intact
    assert deployed["Spawner.environment"].items() <= tested["Spawner.environment"].items()
    assert tested["Spawner.environment"]["LSTMLEARN_LOAD_RUN"] == "r"
    for key in ("JupyterHub.services", "JupyterHub.load_roles"):
        names = [x["name"] for x in tested[key]]
        assert names == [x["name"] for x in deployed[key]] + ["workshop-load"]
    culler = tested["JupyterHub.services"][0]
    assert culler["command"] == deployed["JupyterHub.services"][0]["command"]


def test_the_load_test_can_set_or_unset_the_blas_threads(monkeypatch):
    env = dict(
        LSTMLEARN_HUB_STATE="/tmp/state", LSTMLEARN_LOAD_PORTS="1,2,3", LSTMLEARN_LOAD_TOKEN="t", LSTMLEARN_LOAD_RUN="r"
    )
    assert (
        load("load_test_config.py", monkeypatch, **env, LSTMLEARN_LOAD_BLAS_THREADS="2")["Spawner.environment"][
            "OPENBLAS_NUM_THREADS"
        ]
        == "2"
    )
    assert (
        "OPENBLAS_NUM_THREADS"
        not in load("load_test_config.py", monkeypatch, **env, LSTMLEARN_LOAD_BLAS_THREADS="")["Spawner.environment"]
    )


def _memory_bytes(text: str) -> int:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT])i?", str(text))
    return int(float(m.group(1)) * 1024 ** "KMGT".index(m.group(2)) * 1024)


def test_kubernetes_values_say_what_the_one_server_hub_says(monkeypatch):
    yaml = pytest.importorskip("yaml")
    values = yaml.safe_load((Z2JH / "values.yaml").read_text())
    c = load("jupyterhub_config.py", monkeypatch)
    user = values["singleuser"]
    assert _memory_bytes(user["memory"]["limit"]) == _memory_bytes(c["Spawner.mem_limit"])
    assert _memory_bytes(user["memory"]["guarantee"]) < _memory_bytes(user["memory"]["limit"])
    assert user["cpu"]["limit"] == c["Spawner.cpu_limit"]
    assert 0 < user["cpu"]["guarantee"] <= user["cpu"]["limit"]
    assert user["extraEnv"]["OPENBLAS_NUM_THREADS"] == c["Spawner.environment"]["OPENBLAS_NUM_THREADS"]
    assert user["defaultUrl"] == c["Spawner.default_url"]
    assert (
        '-m lstmlearn course "$HOME/lstmlearn" --learner' in user["lifecycleHooks"]["postStart"]["exec"]["command"][-1]
    )
    culler = [s for s in c["JupyterHub.services"] if s["name"] == "idle-culler"][0]["command"]
    assert values["cull"]["enabled"] and f"--timeout={values['cull']['timeout']}" in culler
    hub = values["hub"]["config"]
    assert hub["JupyterHub"]["authenticator_class"] == c["JupyterHub.authenticator_class"]
    native = {k.split(".", 1)[1]: v for k, v in c.items() if k.startswith("NativeAuthenticator.")}
    assert hub["NativeAuthenticator"] == native
    assert hub["Authenticator"]["allow_all"] == c["Authenticator.allow_all"]
    assert values["proxy"]["https"]["enabled"] is True


def _requirement(req: str) -> tuple[str, str]:
    m = re.match(r"([A-Za-z0-9_.\-]+)\s*(.*)", req.split(";")[0].strip())
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_the_image_installs_the_projects_packages():
    dockerfile = (Z2JH / "Dockerfile").read_text()
    first_install = dockerfile.split("RUN python -m pip install", 2)[1]
    image = dict(_requirement(r) for r in re.findall(r'"([^"]+)"', first_install))
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    dev = dict(_requirement(r) for r in meta["optional-dependencies"]["dev"])
    hub = dict(_requirement(r) for r in meta["optional-dependencies"]["hub"])
    expected = dict(_requirement(r) for r in meta["dependencies"])
    expected |= {name: dev[name] for name in ("jupyterlab", "ipykernel") if name not in expected}
    jupyterhub = image.pop("jupyterhub")
    assert image == expected
    assert {"jupyterlab", "ipykernel"} <= set(image)  # the learners' JupyterLab and kernel
    assert jupyterhub == hub["jupyterhub"]  # one set of bounds: the single-user server at the hub's major version
    # then the course itself, without pulling anything else in, and a check that it all fits
    assert "pip install --no-cache-dir --no-deps /tmp/lstmlearn" in dockerfile
    assert "pip check" in dockerfile and "lstmlearn course" in dockerfile
    assert re.search(r"useradd .*--uid 1000", dockerfile) and "USER 1000" in dockerfile


def test_the_proxy_is_pinned_and_locked():
    package = json.loads((HUB / "package.json").read_text())
    lock = json.loads((HUB / "package-lock.json").read_text())
    pin = package["dependencies"]["configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pin)
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == pin
    assert "node_modules/" in (ROOT / ".gitignore").read_text().split()


# --- what learners cannot misuse -----------------------------------------------------------


def test_learners_reach_loopback_only_never_the_metadata_address_or_the_internet(monkeypatch):
    """Checked in the generated unit properties only: no packet is sent to any address off this machine."""
    c = load("jupyterhub_config.py", monkeypatch)
    unit = c["SystemdSpawner.unit_extra_properties"]
    assert unit["IPAddressDeny"] == "any"  # 169.254.169.254, the local network and the internet among it
    assert unit["IPAddressAllow"] == "localhost"  # 127.0.0.0/8 and ::1: the hub's API, the proxy, the kernels
    assert unit["RestrictNetworkInterfaces"] == "lo"
    assert ipaddress.ip_address("169.254.169.254") not in ipaddress.ip_network("127.0.0.0/8")
    # what the hub needs is on loopback: its API, the proxy's API, and the learners' servers
    assert ipaddress.ip_address(c["JupyterHub.hub_ip"]).is_loopback
    assert ipaddress.ip_address(c["ConfigurableHTTPProxy.api_url"].split("//")[1].split(":")[0]).is_loopback
    assert c.get("Spawner.ip", "127.0.0.1") in ("127.0.0.1", "localhost")


def test_each_learner_has_a_bounded_home_and_the_hubs_state_out_of_reach(monkeypatch, tmp_path):
    c = load("jupyterhub_config.py", monkeypatch, LSTMLEARN_HUB_STATE="/srv/hub-state")
    unit = c["SystemdSpawner.unit_extra_properties"]
    assert unit["ProtectSystem"] == "strict" and unit["ProtectHome"] == "yes"
    assert "/srv/hub-state" in unit["InaccessiblePaths"] and "/srv/lstmlearn-homes" in unit["InaccessiblePaths"]
    assert unit["TemporaryFileSystem"].startswith("/tmp:size=") and c["SystemdSpawner.isolate_tmp"] is False
    hook = c["Spawner.pre_spawn_hook"]
    image, home, make, mount = hook.__globals__["home_image_commands"]("ada", tmp_path)
    assert image == tmp_path / "ada.img" and home == Path("/var/lib/private/ada")  # SystemdSpawner's StateDirectory
    assert make[0] == ["truncate", "-s", "1G", str(image)] and make[1][0] == "mkfs.ext4"
    assert mount[-1][:3] == ["mount", "-o", "loop,nosuid,nodev"] and mount[-1][-2:] == [str(image), str(home)]
    values = (Z2JH / "values.yaml").read_text()
    assert "capacity: 1Gi" in values  # the same size as on Kubernetes


def test_the_first_admin_name_is_chosen_at_install(monkeypatch):
    with pytest.raises(SystemExit, match="LSTMLEARN_HUB_ADMIN is not set"):
        load("jupyterhub_config.py", monkeypatch, LSTMLEARN_HUB_ADMIN="")
    unit = (HUB / "jupyterhub.service").read_text()
    assert "LSTMLEARN_HUB_ADMIN=instructor" not in unit
    assert "after the instructor has signed up" in (HUB / "jupyterhub-proxy.service").read_text()


def test_a_hub_restart_leaves_the_learners_servers_and_the_proxy_running(monkeypatch):
    c = load("jupyterhub_config.py", monkeypatch)
    assert c["JupyterHub.cleanup_servers"] is False
    assert c["ConfigurableHTTPProxy.should_start"] is False  # lstmlearn-hub-proxy.service runs it
    hub_unit, proxy_unit = (HUB / "jupyterhub.service").read_text(), (HUB / "jupyterhub-proxy.service").read_text()
    assert "KillMode=process" in hub_unit
    for unit in (hub_unit, proxy_unit):  # both read the same proxy token
        assert "EnvironmentFile=/srv/lstmlearn-hub/proxy.env" in unit
    api = c["ConfigurableHTTPProxy.api_url"].rsplit(":", 1)[1]
    assert f"--api-port={api}" in proxy_unit and "--api-ip=127.0.0.1" in proxy_unit
    assert "--default-target=http://127.0.0.1:8081" in proxy_unit  # the hub's default port on its hub_ip


def test_certificate_renewals_happen_outside_class_hours():
    timer = (HUB / "certificate-renewal.timer").read_text()
    hour = int(re.search(r"OnCalendar=\S+ (\d\d):\d\d", timer).group(1))
    assert not 7 <= hour < 22
    service = (HUB / "certificate-renewal.service").read_text()
    assert "certbot renew" in service and "--deploy-hook" in service  # restarts only when a certificate was renewed
    guide = (ROOT / "docs" / "INSTRUCTOR_GUIDE.md").read_text()
    assert 'post-hook "systemctl restart lstmlearn-hub"' not in guide


def test_one_set_of_bounds_and_a_constraints_file_for_the_hub():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    hub = dict(_requirement(r) for r in meta["optional-dependencies"]["hub"])
    dockerfile = (Z2JH / "Dockerfile").read_text()
    assert f'"jupyterhub{hub["jupyterhub"]}"' in dockerfile  # the image's bound is the extra's
    pins = dict(
        line.split("==")
        for line in (HUB / "constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    pins = {k.lower().replace("_", "-"): v for k, v in pins.items()}
    for name in list(hub) + [_requirement(r)[0] for r in meta["dependencies"]]:
        assert name in pins, f"{name} is not pinned in deploy/jupyterhub/constraints.txt"
    major = int(pins["jupyterhub"].split(".")[0])
    low, high = (int(b.strip("<>=")) for b in hub["jupyterhub"].split(","))
    assert low <= major < high
    assert "COPY deploy/jupyterhub/constraints.txt /tmp/constraints.txt" in dockerfile
    assert "pip install --no-cache-dir -c /tmp/constraints.txt" in dockerfile


def test_the_learners_image_has_no_solutions():
    dockerfile = (Z2JH / "Dockerfile").read_text()
    install = dockerfile.index("--no-deps /tmp/lstmlearn")
    assert dockerfile.index("strip_installed_solutions", install) < dockerfile.index(
        "lstmlearn course /tmp/course-check"
    )


def test_learners_servers_get_the_course_defaults_of_jupyterlab(monkeypatch):
    from lstmlearn import lab

    c = load("jupyterhub_config.py", monkeypatch)
    assert c["Spawner.environment"]["JUPYTER_CONFIG_PATH"] == str(lab.CONFIG)
    assert (lab.CONFIG / "labconfig" / "default_setting_overrides.json").is_file()
    dockerfile = (Z2JH / "Dockerfile").read_text()
    inside = "/usr/local/lib/python3.11/site-packages/lstmlearn/jupyter_config"  # python:3.11-slim's site-packages
    assert f"ENV JUPYTER_CONFIG_PATH={inside}\n" in dockerfile and "FROM python:3.11-slim\n" in dockerfile
    assert f"test -f {inside}/labconfig/default_setting_overrides.json" in dockerfile


def test_kernels_use_unix_sockets_whose_paths_fit(monkeypatch):
    """The kernels' sockets are Unix sockets (no loopback port for learner_firewall.py to leave open), in a
    folder short enough for the longest socket name: a Unix socket's path has at most 107 bytes."""
    c = load("jupyterhub_config.py", monkeypatch)
    assert "--KernelManager.transport=ipc" in c["Spawner.args"]
    runtime = c["Spawner.environment"]["JUPYTER_RUNTIME_DIR"]
    assert runtime.startswith("/tmp/") and c["SystemdSpawner.unit_extra_properties"]["TemporaryFileSystem"].startswith(
        "/tmp:"
    )  # the learner's own /tmp
    longest = f"{runtime}/kernel-{'0' * 8}-{'0' * 4}-{'0' * 4}-{'0' * 4}-{'0' * 12}-ipc-99"
    assert len(longest.encode()) <= 107


def test_the_most_servers_at_once_is_the_class_the_guide_sizes(monkeypatch):
    c = load("jupyterhub_config.py", monkeypatch)
    guide = (ROOT / "docs" / "INSTRUCTOR_GUIDE.md").read_text()
    sizing = guide.split("### Sizing", 1)[1].split("\n## ", 1)[0]
    per_core = int(re.search(r"\| CPU for the explorers \| (\d+) learners per core", sizing).group(1))
    per_learner = float(re.search(r"Machine: (\d+(?:\.\d+)?) GB per learner", sizing).group(1))
    m = re.search(r"a class of (\d+) needs about (\d+) cores and (\d+) GB on one server", sizing)
    learners, cores, gigabytes = (int(x) for x in m.groups())
    assert cores == -(-learners // per_core)  # the table's learners per core, rounded up
    assert gigabytes == math.ceil(learners * per_learner + 1)  # the table's memory per learner, plus 1 GB
    assert c["JupyterHub.active_server_limit"] == learners
    assert f"`MAX_LEARNERS = {learners}`" in sizing

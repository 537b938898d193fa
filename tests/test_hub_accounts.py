"""A class's accounts at once (deploy/jupyterhub/create_class.py): the names it accepts, the passwords it
makes, and, against a real hub on 127.0.0.1 with the deployment's NativeAuthenticator, that each learner
logs in with the password on the sheet, a wrong one is refused, a second run changes no password, and the
database holds hashes only.

The hub test uses the load test's configuration with only the authenticator put back (the deployment's
NativeAuthenticator and its settings); needs the hub extra and the proxy, as tests/test_hub_load.py does.
"""

import contextlib
import http.cookiejar
import os
import secrets
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HUB = ROOT / "deploy" / "jupyterhub"
sys.path.insert(0, str(HUB))
sys.path.insert(0, str(ROOT / "benchmarks"))
import create_class  # noqa: E402


def test_names_are_read_one_a_line_in_lower_case():
    text = "Ada\n\n# the second row\ngrace_hopper  # comment\n  alan-turing \n"
    assert create_class.read_names(text) == ["ada", "grace_hopper", "alan-turing"]


def test_bad_names_repeats_and_the_instructors_name_are_refused_all_at_once():
    with pytest.raises(ValueError) as err:
        create_class.read_names("ada\nbad name\nADA\n9lives\nteacher-x\n", admin="Teacher-X")
    message = str(err.value)
    assert "nothing was created" in message
    assert "line 2: 'bad name' is not a valid name" in message
    assert "line 3: 'ada' is already on line 1" in message
    assert "line 4: '9lives' is not a valid name" in message
    assert "line 5: 'teacher-x' is the instructor's name" in message


def test_one_time_passwords_are_long_random_and_unambiguous():
    passwords = {create_class.one_time_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        groups = password.split("-")
        assert [len(g) for g in groups] == [create_class.GROUP] * create_class.GROUPS
        assert set("".join(groups)) <= set(create_class.ALPHABET) and not set("0o1li") & set(password)
    assert len(password) >= 10  # the hub's NativeAuthenticator.minimum_password_length


def test_the_sheet_has_one_name_and_password_a_line():
    assert create_class.sheet({"ada": "a-b", "grace": "c-d"}) == "ada    a-b\ngrace  c-d\n"


def test_accounts_are_made_approved_with_hashed_passwords_and_kept_on_a_second_run(tmp_path):
    pytest.importorskip("nativeauthenticator")
    db = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    made, existing = create_class.create_accounts(db, ["ada", "grace"])
    assert sorted(made) == ["ada", "grace"] and existing == []
    again, existing = create_class.create_accounts(db, ["ada", "alan"])
    assert list(again) == ["alan"] and existing == ["ada"]
    rows = dict(sqlite3.connect(tmp_path / "hub.sqlite").execute("SELECT username, password FROM users_info"))
    import bcrypt

    assert bcrypt.checkpw(made["ada"].encode(), rows["ada"])  # the first run's password still holds
    raw = (tmp_path / "hub.sqlite").read_bytes()
    assert all(p.encode() not in raw for p in [*made.values(), *again.values()])  # hashes only, at rest
    authorized = dict(
        sqlite3.connect(tmp_path / "hub.sqlite").execute("SELECT username, is_authorized FROM users_info")
    )
    assert authorized == {"ada": 1, "grace": 1, "alan": 1}


def test_the_command_refuses_a_names_file_with_bad_lines_and_creates_nothing(tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("ada\nbad name\n")
    run = subprocess.run(
        [sys.executable, str(HUB / "create_class.py"), str(names), "--db", f"sqlite:///{tmp_path / 'hub.sqlite'}"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1 and "line 2: 'bad name'" in run.stderr and run.stdout == ""
    assert not (tmp_path / "hub.sqlite").exists()


# --- against a real hub -------------------------------------------------------------------

NATIVE_CONFIG = """
c = get_config()
load_subconfig({load_test!r})
c.JupyterHub.authenticator_class = "native"  # the deployment's, with its NativeAuthenticator settings
"""


def _login(url: str, name: str, password: str) -> int:
    """POST the hub's login form as a browser would; the status of the answer (302: logged in)."""
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    opener.open(f"{url}/hub/login", timeout=30).read()
    xsrf = next(c.value for c in jar if c.name == "_xsrf")
    form = urllib.parse.urlencode({"username": name, "password": password, "_xsrf": xsrf}).encode()
    try:
        with opener.open(urllib.request.Request(f"{url}/hub/login", data=form), timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.mark.hub
@pytest.mark.slow
def test_learners_log_in_to_a_real_hub_with_the_sheets_passwords(tmp_path):
    import workshop_load

    missing = workshop_load.missing_requirements()
    if missing:
        pytest.skip("needs: " + "; ".join(missing))
    state = tmp_path / "state"
    state.mkdir()
    config = tmp_path / "native_config.py"
    config.write_text(NATIVE_CONFIG.format(load_test=str(HUB / "load_test_config.py")))
    public, hub_port, api = workshop_load._free_ports(3)
    env = os.environ | {
        "LSTMLEARN_HUB_STATE": str(state),
        "LSTMLEARN_LOAD_PORTS": f"{public},{hub_port},{api}",
        "LSTMLEARN_LOAD_TOKEN": secrets.token_hex(32),
        "LSTMLEARN_LOAD_RUN": secrets.token_hex(8),
        "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32),
    }
    url = f"http://127.0.0.1:{public}"
    log = open(tmp_path / "hub.log", "wb")
    hub = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=state, env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"{url}/hub/login", timeout=5).status == 200:
                    break
            assert time.monotonic() < deadline, (tmp_path / "hub.log").read_text()[-3000:]
            time.sleep(0.5)
        names = tmp_path / "names.txt"
        names.write_text("Ada\ngrace\n")
        command = [sys.executable, str(HUB / "create_class.py"), str(names)]
        run = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
        sheet = dict(line.split() for line in run.stdout.splitlines())
        assert sorted(sheet) == ["ada", "grace"] and "2 accounts made" in run.stderr
        assert _login(url, "ada", sheet["ada"]) == 302  # logged in, sent on to their server
        assert _login(url, "grace", sheet["grace"]) == 302
        assert _login(url, "ada", sheet["grace"]) != 302  # another learner's password does not open it
        assert _login(url, "alan", sheet["ada"]) != 302  # nor a name that is not on the list
        again = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
        assert again.stdout == "" and "ada: has an account already" in again.stderr
        assert _login(url, "ada", sheet["ada"]) == 302  # the second run changed no password
    finally:
        hub.terminate()
        hub.wait(timeout=60)
        log.close()

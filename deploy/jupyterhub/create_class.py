"""Create a class's accounts at once, each with a one-time password, and print the sheet to hand out.

    (umask 077 && /opt/lstmlearn-hub/bin/python /opt/lstmlearn/deploy/jupyterhub/create_class.py names.txt > sheet.txt)

`names.txt` has one learner's name a line (blank lines and `#` comments are skipped); names are
written as the hub writes them (lower case) and must be valid user names for systemd's dynamic
users: a letter or `_` first, then letters, digits, `_` or `-`, 31 characters at most. For each
new name the command makes a NativeAuthenticator account, already approved, with a random
password, in the hub's database (LSTMLEARN_HUB_STATE/jupyterhub.sqlite, or --db), and prints
`name  password`, once: the passwords are stored only as bcrypt hashes, as NativeAuthenticator
stores those of the accounts it makes itself. A name that already has an account is left as it
is (its password never changes) and said so on stderr; the instructor's name is refused.

Run it as root on the hub server, with the hub running or not. Why not the hub's REST API:
NativeAuthenticator keeps passwords in a table of its own, so an account made through the API or
the admin page has none and cannot log in (jupyterhub/nativeauthenticator#202).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
from pathlib import Path

NAME = re.compile(r"[a-z_][a-z0-9_-]{0,30}")  # a valid user name for systemd's DynamicUser= (and for the hub)
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: the sheet is read and typed by hand
GROUPS, GROUP = 4, 4  # xxxx-xxxx-xxxx-xxxx: 16 random characters of 31, about 79 bits


def read_names(text: str, admin: str = "") -> list:
    """The names of `text` (one a line; blanks and # comments skipped), lower case, in order, once each.

    Raises ValueError naming every line that is not a valid name, that repeats an earlier one, or that
    is the instructor's name `admin`.
    """
    names, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        name = line.split("#", 1)[0].strip().lower()
        if not name:
            continue
        if not NAME.fullmatch(name):
            problems.append(
                f"line {number}: {line.strip()!r} is not a valid name (a letter or _ first, then letters, "
                "digits, _ or -; 31 characters at most)"
            )
        elif name in names:
            problems.append(f"line {number}: {name!r} is already on line {names.index(name) + 1}")
        elif admin and name == admin.lower():
            problems.append(f"line {number}: {name!r} is the instructor's name (LSTMLEARN_HUB_ADMIN), not a learner's")
        else:
            names.append(name)
    if problems:
        raise ValueError("names: fix these lines and run again (nothing was created):\n  " + "\n  ".join(problems))
    return names


def one_time_password() -> str:
    """A random password of GROUPS groups of GROUP characters, easy to read aloud and to type."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP)) for _ in range(GROUPS))


def create_accounts(db_url: str, names: list) -> tuple:
    """Make an approved NativeAuthenticator account with a new password for each name without one.

    Returns ({name: password} of the accounts made, [names that already had an account]).
    """
    import logging

    import bcrypt
    from jupyterhub.orm import new_session_factory
    from nativeauthenticator.orm import UserInfo

    logging.getLogger("alembic").setLevel(logging.WARNING)  # the sheet's stderr says only what matters
    session = new_session_factory(db_url)()
    try:
        UserInfo.__table__.create(session.get_bind(), checkfirst=True)  # a hub that has not run yet
        made, existing = {}, []
        for name in names:
            if UserInfo.find(session, name) is not None:
                existing.append(name)
                continue
            made[name] = one_time_password()
            hashed = bcrypt.hashpw(made[name].encode(), bcrypt.gensalt())
            session.add(UserInfo(username=name, password=hashed, is_authorized=True))
        session.commit()
    finally:
        session.close()
    return made, existing


def sheet(made: dict) -> str:
    """The sheet to cut into slips: one `name  password` a line."""
    width = max(map(len, made), default=0)
    return "".join(f"{name:<{width}}  {password}\n" for name, password in made.items())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], prog="create_class.py")
    parser.add_argument("names", type=Path, help="a file with one learner's name a line")
    state = Path(os.environ.get("LSTMLEARN_HUB_STATE", "/srv/lstmlearn-hub"))
    parser.add_argument("--db", default=f"sqlite:///{state / 'jupyterhub.sqlite'}", help="the hub's database URL")
    args = parser.parse_args(argv)
    if not args.names.is_file():
        parser.error(f"names: {args.names} is not a file; give a file with one name a line")
    try:
        names = read_names(args.names.read_text(), os.environ.get("LSTMLEARN_HUB_ADMIN", ""))
    except ValueError as err:
        print(err, file=sys.stderr)
        return 1
    made, existing = create_accounts(args.db, names)
    for name in existing:
        print(f"{name}: has an account already; left as it is (its password is unchanged)", file=sys.stderr)
    sys.stdout.write(sheet(made))
    print(
        f"{len(made)} account{'' if len(made) == 1 else 's'} made, approved; {len(existing)} left as "
        "they were. The passwords above are shown "
        "this once and stored only as hashes: hand each learner theirs, and ask them to change it at "
        "/hub/change-password after their first login.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

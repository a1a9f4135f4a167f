"""Run the comment server (Isso) with the project's configuration: `invoke comments-server`.

deploy/isso.cfg is Isso's configuration as production runs it (the site's address,
moderation on, the admin page, mail to the editors, the guard's limits). Secrets
(the admin password, the mail account) live in deploy/isso-secrets.cfg, which git
ignores; deploy/isso-secrets.cfg.example shows its form. Isso reads one file, so
each start merges the two, with the choices of this run (port, database folder),
into a private file (0600) in the data folder, beside the database, and starts
Isso on it. The data folder (data/comments/ unless told otherwise) is ignored by git.

Locally (the default) the server also answers the local preview's address
(http://127.0.0.1:8000) and its own, sends no mail (new comments are logged), and
makes up an admin password for the run when the secrets file gives none. With
`production=True` (the systemd unit) it runs exactly as configured and refuses to
start without a real admin password.
"""

import configparser
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "isso.cfg"
SECRETS = ROOT / "deploy" / "isso-secrets.cfg"
DATA = ROOT / "data" / "comments"
DATABASE = "comments.db"
RUNTIME = "isso-runtime.cfg"
DEFAULT_PORT = 8080
LOCAL_SITES = ("http://127.0.0.1:8000", "http://localhost:8000")
MIN_PASSWORD = 16
# What the secrets file may set; anything else belongs in deploy/isso.cfg.
SECRET_OPTIONS = {
    "admin": {"password"},
    "smtp": {"username", "password", "host", "port", "security", "to", "from"},
    "general": {"notify"},
}
# Isso reads these through os.path.expandvars, so a "$" would be taken for a variable.
_EXPANDED = "$"


class ServerSetupError(Exception):
    """The comment server cannot start as asked; the message says why."""


def read_config(path):
    """Read an Isso configuration file as Isso does (no interpolation, empty values)."""
    parser = configparser.ConfigParser(interpolation=None, allow_no_value=True)
    with open(path, encoding="utf-8") as handle:
        parser.read_file(handle)
    return parser


def merge_secrets(config, path):
    """Lay the secrets file over the configuration; refuse options that are no secret."""
    if not Path(path).is_file():
        return False
    mode = Path(path).stat().st_mode
    if mode & 0o077:
        print(f"comments-server: {path} can be read by others; chmod 600 it", file=sys.stderr)
    given = read_config(path)
    for section in given.sections():
        for option, value in given.items(section):
            if option not in SECRET_OPTIONS.get(section, set()):
                raise ServerSetupError(
                    f"{path}: [{section}] {option} is not a secret; set it in {CONFIG.name}. "
                    "The secrets file sets: "
                    + "; ".join(f"[{s}] {', '.join(sorted(o))}" for s, o in SECRET_OPTIONS.items())
                )
            if value and _EXPANDED in value:
                raise ServerSetupError(
                    f"{path}: [{section}] {option} holds '$', which Isso reads as the start of "
                    "an environment variable; choose one without it"
                )
            if not config.has_section(section):
                config.add_section(section)
            config.set(section, option, value or "")
    return True


def runtime_config(
    port=DEFAULT_PORT,
    data=DATA,
    config_path=CONFIG,
    secrets_path=SECRETS,
    production=False,
    sites=LOCAL_SITES,
):
    """Return (the merged configuration, the admin password if it was made up for this run)."""
    config = read_config(config_path)
    merge_secrets(config, secrets_path)
    data = Path(data).resolve()
    config.set("general", "dbpath", str(data / DATABASE))
    config.set("server", "listen", f"http://127.0.0.1:{int(port)}")
    made_up = None
    password = (config.get("admin", "password", fallback="") or "").strip()
    if production:
        if len(password) < MIN_PASSWORD:
            raise ServerSetupError(
                f"no admin password of at least {MIN_PASSWORD} characters: set [admin] password "
                f"in {secrets_path} (see {Path(secrets_path).name}.example)"
            )
    else:
        hosts = [*sites, *config.get("general", "host", fallback="").split()]
        config.set("general", "host", "\n" + "\n".join(dict.fromkeys(hosts)))
        config.set("server", "public-endpoint", f"http://127.0.0.1:{int(port)}")
        config.set("general", "notify", "stdout")
        if len(password) < MIN_PASSWORD:
            made_up = secrets.token_urlsafe(18)
            config.set("admin", "password", made_up)
    return config, made_up


def write_runtime(config, data=DATA):
    """Write the merged configuration beside the database, readable by its owner only."""
    data = Path(data)
    data.mkdir(parents=True, exist_ok=True)
    os.chmod(data, 0o700)
    path = data / RUNTIME
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("# Written by `invoke comments-server` from deploy/isso.cfg and the\n")
        handle.write("# secrets file, at each start: edit those, not this.\n")
        config.write(handle)
    os.chmod(path, 0o600)
    return path


def isso_command(runtime):
    """Return the command that runs Isso on a configuration file, with this Python."""
    return [
        sys.executable,
        "-c",
        "import sys; from isso import main; sys.exit(main())",
        "-c",
        str(runtime),
        "run",
    ]


def isso_environment():
    """Return the environment Isso runs in: ISSO_SETTINGS (which would override -c) unset."""
    return {key: value for key, value in os.environ.items() if key != "ISSO_SETTINGS"}


def start(runtime, **options):
    """Start Isso on a runtime configuration; return the process."""
    return subprocess.Popen(isso_command(runtime), env=isso_environment(), **options)

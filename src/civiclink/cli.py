"""The `civiclink` command: Django's management commands plus the project's own (`demo`, `worker`, ...)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civiclink.settings")
    if sys.argv[1:2] == ["demo"]:
        # The demo needs no worker: background tasks (e-mail, search indexing) run in the web process.
        os.environ.setdefault("CIVICLINK_TASKS", "immediate")
    from civiclink.core.i18n import compile_catalogs

    compile_catalogs()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["civiclink", *sys.argv[1:]])


if __name__ == "__main__":
    main()

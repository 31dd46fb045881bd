"""Constants shared by the test modules and `conftest.py`."""

PASSWORD = "Tri-sunca-nad-Neretvom-42"

ROLES = [
    "anonymous",
    "user",
    "org_member",
    "org_admin",
    "officer",
    "councillor",
    "evaluator",
    "trainer",
    "moderator",
    "staff",
    "superuser",
]


def at_once(target, args: list[tuple], expected: dict[type[Exception], str]) -> list[str]:
    """Run `target(barrier, *arguments)` in one thread per entry of `args` and return their outcomes, sorted: what
    `target` returned, the `expected` name of an exception it raised, or the repr of any other (an exception in a
    thread would otherwise be lost). `target` waits on the barrier where the threads must meet; each thread closes
    its database connection, so that PostgreSQL can drop the test database."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(args), timeout=10)
    outcomes = []

    def run(*arguments):
        try:
            outcomes.append(target(barrier, *arguments))
        except tuple(expected) as error:
            outcomes.append(expected[type(error)])
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=arguments) for arguments in args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)

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

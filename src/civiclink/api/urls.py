"""The JSON API under /api/v1/. Each app contributes a router; the OpenAPI document is /api/v1/openapi.json."""

from ninja import NinjaAPI

from civiclink.benches.api import router as benches_router
from civiclink.governance.api import router as governance_router
from civiclink.participation.api import router as participation_router
from civiclink.places.api import router as places_router

api = NinjaAPI(
    title="CivicLink API",
    version="1",
    description="Open data and services of CivicLink: the directory of municipalities, local communities and CSOs.",
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", places_router)
api.add_router("/", governance_router)
api.add_router("/", participation_router)
api.add_router("/", benches_router)

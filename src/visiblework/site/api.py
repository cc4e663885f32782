"""The one JSON API, /api/v1/: a router per app."""

from ninja import NinjaAPI

from visiblework.cases.api import router as cases_router
from visiblework.insights.api import router as insights_router
from visiblework.reports.api import router as reports_router

api = NinjaAPI(
    title="Visible Work API",
    version="1",
    description="Cases of AI harm centred on hidden labour, and (later) privacy-protected "
    "statistics about the people who do that work.",
    urls_namespace="api-v1",
    docs_url=None,  # the site serves its own reference at /api/v1/docs (site/api_reference.py)
)
api.add_router("/", cases_router)
api.add_router("/", reports_router)
api.add_router("/", insights_router)

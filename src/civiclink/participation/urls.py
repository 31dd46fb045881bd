"""URLs of participatory processes under /<language>/participation/. Each views module lists its own patterns."""

from civiclink.participation.views import (
    comments,
    dashboard,
    meetings,
    notifications,
    opendata,
    polls,
    processes,
    proposals,
    residency,
    results,
)

app_name = "participation"
urlpatterns = [
    *proposals.urlpatterns,
    *comments.urlpatterns,
    *polls.urlpatterns,
    *meetings.urlpatterns,
    *results.urlpatterns,
    *residency.urlpatterns,
    *notifications.urlpatterns,
    *dashboard.urlpatterns,
    *opendata.urlpatterns,
    *processes.urlpatterns,  # last: its <slug>/ would shadow fixed paths such as new/ and notifications/
]

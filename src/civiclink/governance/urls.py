"""URLs of the ELoGE benchmark under /<language>/governance/. Each views module lists its own patterns."""

from civiclink.governance.views import assessment, campaigns, plan, results, surveys

app_name = "governance"
urlpatterns = [
    *campaigns.urlpatterns,
    *assessment.urlpatterns,
    *surveys.urlpatterns,
    *results.urlpatterns,
    *plan.urlpatterns,
]

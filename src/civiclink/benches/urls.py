"""The staff dashboard of the fleet and the benches' open data, under /<lang>/benches/. Each views module lists
its own patterns."""

from civiclink.benches.views import dashboard, deadletters, opendata

app_name = "benches"
urlpatterns = [*deadletters.urlpatterns, *opendata.urlpatterns, *dashboard.urlpatterns]

"""The staff dashboard of the fleet, under /<lang>/benches/."""

app_name = "benches"
urlpatterns = []

"""The kiosk a bench's screen shows, under /kiosk/<bench id>/ (outside the language prefixes: it switches among
the community's languages itself)."""

from civiclink.benches.views import kiosk

app_name = "kiosk"
urlpatterns = kiosk.urlpatterns

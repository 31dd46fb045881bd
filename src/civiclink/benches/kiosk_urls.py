"""The kiosk a bench's screen shows, under /kiosk/<bench id>/ (outside the language prefixes: it switches among
the community's languages itself)."""

app_name = "kiosk"
urlpatterns = []

"""Moderation pages under /<language>/moderation/."""

app_name = "moderation"
urlpatterns = []

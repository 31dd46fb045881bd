"""Moderation pages under /<language>/moderation/. A contribution is addressed as "<app_label>.<model>/<pk>"."""

from django.urls import path

from civiclink.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("report/<str:app_label>.<str:model>/<int:pk>/", views.report, name="report"),
    path("item/<str:app_label>.<str:model>/<int:pk>/", views.item, name="item"),
    path("blocked/", views.blocked, name="blocked"),
    path("blocked/<int:pk>/unblock/", views.unblock, name="unblock"),
]

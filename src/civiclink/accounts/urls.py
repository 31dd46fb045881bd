from django.urls import path

from civiclink.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("data/", views.export_data, name="export"),
    path("delete/", views.delete_account, name="delete"),
]

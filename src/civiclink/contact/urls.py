from django.urls import path

from civiclink.contact import views

app_name = "contact"
urlpatterns = [
    path("", views.contact, name="form"),
    path("sent/", views.sent, name="sent"),
]

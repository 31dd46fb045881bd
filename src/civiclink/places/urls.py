from django.urls import path

from civiclink.places import views

app_name = "places"
urlpatterns = [
    path("municipalities/", views.municipality_list, name="municipalities"),
    path("municipalities/<slug:slug>/", views.municipality_detail, name="municipality"),
    path("municipalities/<slug:slug>/edit/", views.municipality_edit, name="municipality_edit"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/register/", views.organisation_register, name="organisation_register"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/members/", views.organisation_members, name="organisation_members"),
    path("organisations/<slug:slug>/verify/", views.organisation_verify, name="organisation_verify"),
    path("organisations/<slug:slug>/join-network/", views.network_join, name="network_join"),
    path("network/", views.network_overview, name="network"),
    path("network/<slug:slug>/", views.coalition_detail, name="coalition"),
    path("network/<slug:coalition_slug>/<slug:slug>/", views.statement_detail, name="statement"),
]

from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("funding/", views.grant_list, name="grant_list"),
    path("funding/grants/<int:grant_id>/", views.grant_detail, name="grant_detail"),
]

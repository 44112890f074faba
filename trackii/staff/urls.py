from django.urls import path

from trackii.staff.requests import views as request_views

app_name = "staff"

urlpatterns = [
    path("staff/requests/", request_views.requests_list, name="requests"),
    path("staff/requests/new/<int:account_id>/", request_views.request_new, name="request_new"),
    path("staff/requests/<int:request_id>/confirm/", request_views.request_confirm, name="request_confirm"),
    path("staff/requests/<int:request_id>/decline/", request_views.request_decline, name="request_decline"),
    path("staff/requests/<int:request_id>/cancel/", request_views.request_cancel, name="request_cancel"),
    path("staff/invite/", request_views.invite, name="invite"),
    path("staff/welcome/<str:token>/", request_views.welcome, name="welcome"),
]

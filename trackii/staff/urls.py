from django.urls import path

from trackii.staff.accounts import views as accounts
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
    path("staff/accounts/", accounts.account_list, name="account_list"),
    path("staff/accounts/<int:account_id>/", accounts.account_detail, name="account_detail"),
    path("staff/accounts/<int:account_id>/disable/", accounts.account_disable, name="account_disable"),
    path("staff/accounts/<int:account_id>/enable/", accounts.account_enable, name="account_enable"),
    path(
        "staff/accounts/<int:account_id>/sessions/end/",
        accounts.account_sessions_end,
        name="account_sessions_end",
    ),
    path(
        "staff/accounts/<int:account_id>/sessions/<int:session_id>/end/",
        accounts.account_session_end,
        name="account_session_end",
    ),
]

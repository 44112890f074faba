from django.urls import path

from trackii.staff.accounts import views as accounts

app_name = "staff"

urlpatterns: list = [
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

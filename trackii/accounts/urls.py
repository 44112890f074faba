from django.urls import path

from trackii.accounts import views

app_name = "accounts"

urlpatterns = [
    path("welcome/<str:token>/", views.welcome, name="welcome"),
    path("account/", views.account, name="account"),
    path("account/log-out-everywhere/", views.log_out_everywhere, name="log_out_everywhere"),
    path("dialogues/<int:dialogue_id>/logins/", views.dialogue_invitations, name="invitations"),
    path(
        "dialogues/<int:dialogue_id>/logins/<int:invitation_id>/withdraw/",
        views.withdraw_login_invitation,
        name="withdraw_invitation",
    ),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
]

from django.urls import path

from trackii.sealing import views

app_name = "sealing"

urlpatterns = [path("verify/", views.verify, name="verify")]

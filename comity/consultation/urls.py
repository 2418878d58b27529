from __future__ import annotations

from django.urls import path

from comity.consultation import views

app_name = "consultation"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/<uuid:request_id>/", views.consultation_new, name="new"),
    path("<uuid:id>/", views.consultation_detail, name="detail"),
    path("<uuid:id>/comments/", views.consultation_comments, name="comments"),
    path("<uuid:id>/share/", views.consultation_share, name="share"),
    path("<uuid:id>/close/", views.consultation_close, name="close"),
]

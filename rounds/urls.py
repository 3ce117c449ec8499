from django.urls import path

from rounds import views

app_name = "rounds"
urlpatterns = [
    path("rounds/", views.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", views.RoundCreate.as_view(), name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/edit/<slug:section>/", views.round_edit, name="round_edit_section"),
    path(
        "rounds/<int:pk>/edit/<slug:section>/<int:row>/",
        views.round_edit_row,
        name="round_edit_row",
    ),
    path("rounds/<int:pk>/carry/<int:item_pk>/", views.round_carry_item, name="round_carry_item"),
    path(
        "rounds/materials/<int:pk>/<str:language>/",
        views.material_file,
        name="material_file",
    ),
    path("rounds/dialogues/<slug:slug>/", views.dialogue_detail, name="dialogue_detail"),
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/released/", views.case_mark_released, name="case_mark_released"),
    path("topics/", views.TopicListView.as_view(), name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
]

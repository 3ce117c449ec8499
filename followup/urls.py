from django.urls import path

from followup import views

app_name = "followup"
urlpatterns = [
    path("projects/", views.FollowUpProjectListView.as_view(), name="project_list"),
    path("board/", views.board, name="board"),
    path("projects/new/", views.ProjectCreate.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectEdit.as_view(), name="project_edit"),
    path("actions/", views.FollowUpActionListView.as_view(), name="action_list"),
    path("actions/overdue/", views.OverdueActionListView.as_view(), name="action_overdue"),
    path("actions/new/", views.ActionCreate.as_view(), name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.ActionEdit.as_view(), name="action_edit"),
    path("benchmarks/", views.BenchmarkListView.as_view(), name="benchmark_list"),
    path("benchmarks/<int:pk>/", views.benchmark_detail, name="benchmark_detail"),
]

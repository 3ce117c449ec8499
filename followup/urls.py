from django.urls import path

from followup import views

app_name = "followup"
urlpatterns = [
    path("projects/", views.FollowUpProjectListView.as_view(), name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("actions/", views.FollowUpActionListView.as_view(), name="action_list"),
    path("benchmarks/", views.BenchmarkListView.as_view(), name="benchmark_list"),
]

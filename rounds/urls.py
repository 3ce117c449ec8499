from django.urls import path

from rounds import views

app_name = "rounds"
urlpatterns = [
    path("rounds/", views.RoundListView.as_view(), name="round_list"),
    path("rounds/translation-gap/", views.translation_gap, name="translation_gap"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/briefing/", views.round_briefing, name="round_briefing"),
    path("rounds/dialogues/<slug:slug>/", views.dialogue_detail, name="dialogue_detail"),
    path("rounds/dialogues/<slug:slug>/export/", views.dialogue_export, name="dialogue_export"),
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/answers/", views.case_answers, name="case_answers"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("topics/", views.TopicListView.as_view(), name="topic_list"),
    path("topics/continuity/", views.topic_continuity, name="topic_continuity"),
    path("topics/overlap/", views.topic_overlap, name="topic_overlap"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
]

"""The reports' addresses, beside the records they read (/topics/continuity/, …)."""

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("rounds/translation-gap/", views.translation_gap_report, name="translation_gap"),
    path("rounds/<int:pk>/briefing/", views.round_briefing, name="round_briefing"),
    path("rounds/<int:pk>/briefing/next/", views.next_briefing, name="next_briefing"),
    path("cases/answers/", views.case_answers_report, name="case_answers"),
    path("topics/continuity/", views.topic_continuity, name="topic_continuity"),
    path("topics/overlap/", views.topic_overlap, name="topic_overlap"),
    path("followup/coverage/", views.coverage_report, name="coverage"),
    path("stakeholders/engagement/", views.engagement_report, name="engagement"),
]

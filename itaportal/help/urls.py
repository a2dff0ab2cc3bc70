from django.urls import path

from itaportal.help import views

app_name = "help"

urlpatterns = [
    path("", views.help_index, name="index"),
    path("glossary/", views.glossary, name="glossary"),
    *[path(f"{topic}/", views.help_topic, {"topic": topic}, name=topic) for topic in views.TOPICS],
]

from typing import Any

from django import forms
from django.contrib import admin

from podium.core.text import clean_text

from . import services
from .models import Topic


class TopicForm(forms.ModelForm):
    """A topic's name and description are plain text wherever they show, like every other
    typed text (core.text.clean_text)."""

    class Meta:
        model = Topic
        fields = ["name", "name_en", "slug", "description", "description_en"]

    def clean_name(self) -> Any:
        return clean_text(self.cleaned_data["name"])

    def clean_name_en(self) -> Any:
        return clean_text(self.cleaned_data["name_en"])

    def clean_description(self) -> Any:
        return clean_text(self.cleaned_data["description"], keep_lines=True)

    def clean_description_en(self) -> Any:
        return clean_text(self.cleaned_data["description_en"], keep_lines=True)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicForm
    list_display = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "name_en"]

    # Through the services, so that the search index follows a rename or a deletion.
    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        services.save_topic(topic=obj, by=request.user)

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        services.delete_topic(topic=obj, by=request.user)

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        for topic in queryset:
            services.delete_topic(topic=topic, by=request.user)

"""Operators edit synonym groups here; the next query uses them (no deploy, no reindex)."""

from django.contrib import admin

from .models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("words", "note", "updated_at")
    search_fields = ("words", "note")

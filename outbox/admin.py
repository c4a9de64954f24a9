"""Outgoing e-mail for operations: what is waiting, how often it was tried and why it failed. Read-only:
the outbox is written by the services and emptied by delivery only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("topic", "recipient", "created_at", "attempts", "last_error", "next_attempt_at", "sent_at")
    list_filter = (("sent_at", admin.EmptyFieldListFilter),)
    search_fields = ("topic",)
    date_hierarchy = "created_at"
    fields = (*list_display, "subject", "body")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False

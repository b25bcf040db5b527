"""Scrapy add-ons: settings worked out from other settings when a crawler starts."""

from __future__ import annotations

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings


def user_agent(contact: str) -> str:
    """Return our User-Agent naming `contact` (a mail address or URL)."""
    return f"legalnews/0.1 (+{contact})"


class ContactUserAgent:
    """Build USER_AGENT from LEGALNEWS_CONTACT as the crawler starts.

    settings.py can only use the default contact (it is read before `-s` applies); a
    USER_AGENT set above the project's priority (`-s`, a spider's settings) is left alone.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        """Set USER_AGENT from LEGALNEWS_CONTACT unless USER_AGENT was set explicitly."""
        if settings.getpriority("USER_AGENT") > SETTINGS_PRIORITIES["project"]:
            return
        settings.set(
            "USER_AGENT", user_agent(settings.get("LEGALNEWS_CONTACT")), priority="project"
        )

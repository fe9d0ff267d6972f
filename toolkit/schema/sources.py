"""Source tables: what one vendor's export says, under names that say whose it is.

Only the importer of that source writes them; later layers read the core tables and
reach for these only for details a core table does not carry (a message's reactions, a
PagerDuty urgency). Column names here are ours, not the vendor's.
"""

from __future__ import annotations

import polars as pl

from toolkit.schema.enums import Impact
from toolkit.schema.table import REACTION, UTC, Column, S, Table

__all__ = ["SOURCE_TABLES"]

_STRINGS = pl.List(S)


def _source(name: str, row: str, columns: tuple[Column, ...], key: tuple[str, ...]) -> Table:
    return Table(name, row, columns, key, tier="source")


SLACK_MESSAGES = _source(
    "slack_messages",
    "Slack message",
    (
        Column("channel_id", S, "Slack conversation id.", nullable=False),
        Column("channel", S, "Conversation name.", nullable=False),
        Column(
            "ts",
            S,
            "Slack's message timestamp, the canonical 6-decimal string (it is the message id).",
            nullable=False,
        ),
        Column("at", UTC, "ts as a UTC timestamp.", nullable=False),
        Column("user_id", S, "Author's Slack user id (or bot id when no user)."),
        Column("user", S, "Author's display name, else real name, else the id."),
        Column("text", S, "Text rendered for people: mentions, channels, links and entities resolved."),
        Column("subtype", S, "Slack subtype (null for ordinary messages); unknown ones kept as is."),
        Column("thread_ts", S, "ts of the thread parent, for parents and replies."),
        Column("is_thread_reply", pl.Boolean(), "A reply inside a thread (not the parent).", nullable=False),
        Column("reply_count", pl.Int64(), "Replies a thread parent reports."),
        Column("is_bot", pl.Boolean(), "Posted by a bot or integration.", nullable=False),
        Column("edited_at", UTC, "When last edited, if ever."),
        Column("reactions", pl.List(REACTION), "Reactions: name, count, users."),
        Column("files", pl.Int64(), "Number of files attached.", nullable=False),
        Column("pinned", pl.Boolean(), "Pinned to the channel.", nullable=False),
    ),
    ("channel_id", "ts"),
)

SLACK_CHANNELS = _source(
    "slack_channels",
    "Slack conversation (channel, private group, DM or group DM)",
    (
        Column("channel_id", S, "Slack conversation id.", nullable=False),
        Column("channel", S, "Name (DMs: the members' handles).", nullable=False),
        Column("kind", S, "channel, group, dm or mpim."),
        Column("created_at", UTC, "When created."),
        Column("creator_id", S, "Creator's user id."),
        Column("is_archived", pl.Boolean(), "Archived."),
        Column("is_general", pl.Boolean(), "The workspace's #general."),
        Column("topic", S, "Topic."),
        Column("purpose", S, "Purpose."),
        Column("members", _STRINGS, "Member user ids."),
        Column("listed_in", S, "Which list file named it (channels.json, groups.json, ...)."),
        Column("folder", S, "Folder of its day files in the export."),
        Column("message_count", pl.Int64(), "Messages read from its day files."),
        Column("is_incident", pl.Boolean(), "A war room (name matches the policy's pattern)."),
        Column("incident_id", S, "Incident id of the war room."),
    ),
    ("channel_id",),
)

SLACK_USERS = _source(
    "slack_users",
    "Slack user or bot",
    (
        Column("user_id", S, "Slack user id.", nullable=False),
        Column("user", S, "Name shown for the user (display name, else real name, else handle)."),
        Column("handle", S, "Login handle (``name``)."),
        Column("display_name", S, "Profile display name."),
        Column("real_name", S, "Profile real name."),
        Column("email", S, "Profile e-mail address."),
        Column("title", S, "Profile title."),
        Column("tz", S, "IANA time zone of the user."),
        Column("is_bot", pl.Boolean(), "A bot user."),
        Column("is_deleted", pl.Boolean(), "Deactivated."),
        Column("bot_id", S, "Bot id, for bot users."),
        Column("listed_in", S, "users.json or org_users.json."),
    ),
    ("user_id",),
)

PAGERDUTY_INCIDENTS = _source(
    "pagerduty_incidents",
    "PagerDuty incident (REST and Analytics merged)",
    (
        Column("pd_incident_id", S, "PagerDuty incident id.", nullable=False),
        Column("incident_number", pl.Int64(), "Incident number (#1234)."),
        Column("title", S, "Title."),
        Column("status", S, "triggered, acknowledged or resolved."),
        Column("urgency", S, "high or low."),
        Column("priority", S, "Priority name (P1, SEV-1, ...)."),
        Column("service", S, "Service name."),
        Column("escalation_policy", S, "Escalation policy name."),
        Column("teams", _STRINGS, "Team names."),
        Column("created_at", UTC, "When triggered."),
        Column("first_ack_at", UTC, "First acknowledgement."),
        Column("resolved_at", UTC, "Resolution."),
        Column("assignees", _STRINGS, "Assigned users."),
        Column("acknowledgers", _STRINGS, "Users who acknowledged."),
        Column("escalation_count", pl.Int64(), "Escalations (distinct instants)."),
        Column("seconds_to_first_ack", pl.Int64(), "Seconds from trigger to first ack."),
        Column("seconds_to_resolve", pl.Int64(), "Seconds from trigger to resolve."),
        Column("html_url", S, "Web URL of the incident."),
        Column("incident_key", S, "De-duplication key."),
    ),
    ("pd_incident_id",),
)

PAGERDUTY_LOG_ENTRIES = _source(
    "pagerduty_log_entries",
    "PagerDuty log entry",
    (
        Column("pd_incident_id", S, "PagerDuty incident id.", nullable=False),
        Column("entry_id", S, "Log entry id.", nullable=False),
        Column("at", UTC, "When it happened.", nullable=False),
        Column(
            "type",
            S,
            "Entry type without the '_log_entry' suffix (trigger, notify, ...); unknown kept.",
            nullable=False,
        ),
        Column("agent", S, "Who or what acted (user or service summary)."),
        Column("channel", S, "Channel type (api, email, sms, phone, web_trigger, auto, ...)."),
        Column("summary", S, "PagerDuty's one-line summary."),
        Column("escalation_level", pl.Int64(), "Escalation level, where known."),
        Column("agent_kind", S, "user, service, integration, ..."),
        Column("notified_user", S, "User notified (notify entries)."),
        Column("assignees", _STRINGS, "Users assigned (assign/escalate entries)."),
    ),
    ("pd_incident_id", "entry_id"),
)

STATUSPAGE_INCIDENTS = _source(
    "statuspage_incidents",
    "status-page incident (latest state across snapshots)",
    (
        Column("page", S, "Status page id.", nullable=False),
        Column("incident_ref", S, "The page's incident id.", nullable=False),
        Column("name", S, "Incident title."),
        Column("impact", S, "Impact.", Impact),
        Column("status", S, "Latest status; unknown values kept as is."),
        Column("created_at", UTC, "Created."),
        Column("started_at", UTC, "Impact start, where the page states it."),
        Column("monitoring_at", UTC, "Entered monitoring."),
        Column("resolved_at", UTC, "Resolved."),
        Column("components", _STRINGS, "Affected components (names)."),
        Column("shortlink", S, "Short link (stspg.io/...)."),
        Column("postmortem_body", S, "Post-mortem text, where published."),
        Column("n_updates", pl.Int64(), "Updates."),
        Column("updated_at", UTC, "Last change."),
        Column("postmortem_at", UTC, "Post-mortem published."),
        Column("reopened", pl.Boolean(), "Went back from resolved to an open status."),
    ),
    ("page", "incident_ref"),
)

STATUSPAGE_UPDATES = _source(
    "statuspage_updates",
    "public status-page update",
    (
        Column("page", S, "Status page id.", nullable=False),
        Column("incident_ref", S, "The page's incident id.", nullable=False),
        Column("update_id", S, "The update's id.", nullable=False),
        Column("at", UTC, "When posted (created_at).", nullable=False),
        Column("display_at", UTC, "When shown as posted (may be back-dated)."),
        Column("status", S, "Status set by the update; unknown values kept as is."),
        Column("body", S, "Text shown to customers."),
        Column("impact", S, "Impact of the incident.", Impact),
        Column("components", _STRINGS, "Affected components of the incident (names)."),
        Column("affected_components", _STRINGS, "Components this update names."),
    ),
    ("page", "incident_ref", "update_id"),
)

STATUSPAGE_COMPONENTS = _source(
    "statuspage_components",
    "status-page component",
    (
        Column("page", S, "Status page id.", nullable=False),
        Column("component_id", S, "Component id.", nullable=False),
        Column("name", S, "Name."),
        Column("status", S, "Latest status (operational, degraded_performance, ...)."),
        Column("group_id", S, "Group it belongs to."),
        Column("is_group", pl.Boolean(), "A group of components."),
        Column("position", pl.Int64(), "Display order."),
        Column("description", S, "Description."),
        Column("created_at", UTC, "Created."),
        Column("updated_at", UTC, "Last change."),
    ),
    ("page", "component_id"),
)

STATUSPAGE_MAINTENANCES = _source(
    "statuspage_maintenances",
    "scheduled maintenance",
    (
        Column("page", S, "Status page id.", nullable=False),
        Column("maintenance_ref", S, "The page's maintenance id.", nullable=False),
        Column("name", S, "Title."),
        Column("status", S, "scheduled, in_progress, verifying, completed."),
        Column("impact", S, "Impact.", Impact),
        Column("created_at", UTC, "Created."),
        Column("updated_at", UTC, "Last change."),
        Column("scheduled_for", UTC, "Window start."),
        Column("scheduled_until", UTC, "Window end."),
        Column("started_at", UTC, "Actual start."),
        Column("resolved_at", UTC, "Completed."),
        Column("components", _STRINGS, "Components (names)."),
        Column("shortlink", S, "Short link."),
        Column("n_updates", pl.Int64(), "Updates."),
    ),
    ("page", "maintenance_ref"),
)

SOURCE_TABLES: tuple[Table, ...] = (
    SLACK_MESSAGES,
    SLACK_CHANNELS,
    SLACK_USERS,
    PAGERDUTY_INCIDENTS,
    PAGERDUTY_LOG_ENTRIES,
    STATUSPAGE_INCIDENTS,
    STATUSPAGE_UPDATES,
    STATUSPAGE_COMPONENTS,
    STATUSPAGE_MAINTENANCES,
)

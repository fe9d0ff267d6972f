"""A Slack day file's messages as typed msgspec Structs: the fast path of the message reader.

:data:`DAY_DECODER` decodes a day file (a JSON array of message objects) straight into
:class:`SlackMessage`: only the fields the importer reads are declared, the rest of each
object is skipped without building Python objects for it, and every declared field is
checked for its JSON type in C. Rare or free-form fields (edits, reactions, files, pins,
profiles, attachments, blocks) are kept as :class:`msgspec.Raw` JSON, parsed only when
present, so that their checks (and the rejections they give) stay those of the per-record
path in :mod:`toolkit.importers.slack.messages`.

Any file that does not decode this way (a record that is not an object, a field of the
wrong type, a missing ``ts``, a number out of range) is read again by that per-record
path, which rejects exactly the bad records.

Examples
--------
>>> [m.ts for m in DAY_DECODER.decode(b'[{"ts": "1736935200.000100", "type": "message"}]')]
['1736935200.000100']
"""

from __future__ import annotations

from typing import Annotated

import msgspec

__all__ = ["DAY_DECODER", "RAW_FIELDS", "SlackMessage"]

_Int64 = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]
_NONE = msgspec.Raw()
"""An absent raw field (empty; a JSON ``null`` is ``Raw(b"null")``)."""


class SlackMessage(msgspec.Struct, gc=False):
    """The fields of a Slack message the importer reads, typed as Slack sends them."""

    ts: str
    user: str | None = None
    text: str | None = None
    subtype: str | None = None
    thread_ts: str | None = None
    reply_count: _Int64 | None = None
    bot_id: str | None = None
    username: str | None = None
    edited: msgspec.Raw = _NONE
    reactions: msgspec.Raw = _NONE
    files: msgspec.Raw = _NONE
    file: msgspec.Raw = _NONE
    pinned_to: msgspec.Raw = _NONE
    bot_profile: msgspec.Raw = _NONE
    user_profile: msgspec.Raw = _NONE
    attachments: msgspec.Raw = _NONE
    blocks: msgspec.Raw = _NONE


RAW_FIELDS = ("edited", "reactions", "files", "file", "pinned_to", "bot_profile")
"""The sparse fields of :mod:`toolkit.importers.slack.messages`, kept raw here."""

DAY_DECODER = msgspec.json.Decoder(list[SlackMessage])
"""Decodes a whole day file; raises :class:`msgspec.ValidationError` on any bad record."""

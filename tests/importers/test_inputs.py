import zipfile

import pytest

from toolkit.errors import ArchiveError, InputFormatError
from toolkit.importers._base.inputs import open_input


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_folder_file_and_zip_list_the_same_members(tmp_path):
    folder = tmp_path / "export"
    (folder / "general").mkdir(parents=True)
    (folder / "channels.json").write_text("[]")
    (folder / "general" / "2025-01-15.json").write_text("[]")
    (folder / ".DS_Store").write_text("x")
    z = _zip(
        tmp_path / "export.zip", {"channels.json": "[]", "general/2025-01-15.json": "[]", "__MACOSX/x": "y"}
    )
    with open_input(folder) as a, open_input(z) as b, open_input(folder / "channels.json") as c:
        assert [m.name for m in a.members] == ["channels.json", "general/2025-01-15.json"]
        assert [m.name for m in b.members] == ["channels.json", "general/2025-01-15.json"]
        assert [m.name for m in c.members] == ["channels.json"]
        assert b.members[1].display == f"{z}:general/2025-01-15.json"
        assert b.members[1].read() == b"[]"
        assert (a.kind, b.kind, c.kind) == ("folder", "zip", "file")


def test_single_top_folder_in_zip_is_stripped(tmp_path):
    z = _zip(tmp_path / "e.zip", {"acme/channels.json": "[]", "acme/general/2025-01-15.json": "[1]"})
    with open_input(z) as inp:
        assert [m.name for m in inp.members] == ["channels.json", "general/2025-01-15.json"]
        assert inp.find("general/2025-01-15.json").read() == b"[1]"


def test_traversal_names_are_read_in_memory_never_extracted(tmp_path):
    z = _zip(tmp_path / "evil.zip", {"../../outside.json": "[]", "ok.json": "[]"})
    with open_input(z) as inp:
        data = {m.name: m.read() for m in inp.members}
    assert data == {"../../outside.json": b"[]", "ok.json": b"[]"}
    assert not (tmp_path.parent / "outside.json").exists()


def test_archive_over_the_cap_is_refused(tmp_path, monkeypatch):
    z = _zip(tmp_path / "big.zip", {"a.json": "x" * 5000})
    with (
        pytest.raises(ArchiveError, match=r"uncompressed size 5,000 bytes is above the cap of 1,000 bytes"),
        open_input(z, max_unzipped=1000),
    ):
        pass
    monkeypatch.setenv("INCIDENT_TOOLKIT_MAX_UNZIPPED_BYTES", "100")
    with pytest.raises(ArchiveError, match="above the cap of 100 bytes"), open_input(z):
        pass


def test_encrypted_member_is_refused(tmp_path):
    z = _zip(tmp_path / "enc.zip", {"secret.json": "[]"})
    raw = bytearray(z.read_bytes())
    # set the 'encrypted' general-purpose flag in the local and central headers
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        i = raw.find(sig)
        off = i + (6 if sig == b"PK\x03\x04" else 8)
        raw[off] |= 0x1
    z.write_bytes(bytes(raw))
    with pytest.raises(ArchiveError, match=r"enc.zip:secret.json: member is encrypted"), open_input(z):
        pass


def test_missing_path_and_corrupt_zip(tmp_path):
    with pytest.raises(InputFormatError, match="no such file or folder"), open_input(tmp_path / "nope"):
        pass
    z = _zip(tmp_path / "c.zip", {"a.json": "[]" * 100})
    data = z.read_bytes()
    z.write_bytes(data[:30] + data[-22:])  # keep the end record, lose the rest
    with pytest.raises(ArchiveError), open_input(z) as inp:
        [m.read() for m in inp.members]

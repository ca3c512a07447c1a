"""danvan token issues a clerk's token with its agency: listed by danvan tokens, named by the
principal the token authenticates as; only an officer works for an agency."""

from __future__ import annotations

import pytest

from services.cli import main
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings

AGENCY = "Phòng Tài nguyên và Môi trường"


def test_a_clerks_token_carries_its_agency(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DANVAN_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("DANVAN_DATABASE_URL", raising=False)
    args = ["token", "clerk-badinh", "--role", "officer", "--unit", "001", "--agency", AGENCY]
    assert main(args) == 0
    token = capsys.readouterr().out.strip()
    principal = TokenStore(settings.token_path).principal_for(token)
    assert principal is not None
    assert (principal.role, principal.units, principal.agency) == (Role.OFFICER, ("001",), AGENCY)

    assert main(["tokens"]) == 0
    [listed] = [line for line in capsys.readouterr().out.splitlines() if "clerk-badinh" in line]
    assert listed.endswith(AGENCY) and "live" in listed

    with pytest.raises(SystemExit, match="--agency"):
        main(["token", "auditor-2", "--role", "auditor", "--agency", AGENCY])
    with pytest.raises(SystemExit, match="--agency"):
        main(["token", "clerk-2", "--role", "officer", "--unit", "01", "--agency", " "])

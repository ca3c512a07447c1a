"""The tokens tests and benchmarks sign in with: token-admin, token-officer…"""

from __future__ import annotations

from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings

TOKENS = {
    "admin": ("admin-1", Role.ADMIN, []),
    "officer": ("officer-hanoi", Role.OFFICER, ["01"]),
    "officer_badinh": ("officer-badinh", Role.OFFICER, ["001"]),
    "officer_hcm": ("officer-hcm", Role.OFFICER, ["79"]),
    "auditor": ("auditor-1", Role.AUDITOR, []),
    "citizen": ("citizen-1", Role.CITIZEN, []),
}


def issue_test_tokens(settings: Settings) -> TokenStore:
    """token-admin, token-officer… of TOKENS, in the settings' token file."""
    tokens = TokenStore(settings.token_path)
    for name, (principal, role, units) in TOKENS.items():
        tokens.issue(principal, role, units, token=f"token-{name}")
    return tokens

"""The auth service layer (A2–A10, S1–S5): opening, login with OTP, refresh, logout, reset, change,
withdrawal, 利用不可, system clients — one function per use case, each one transaction through the unit of
work. keys: opening and reset (A2–A6, A8); login: login, OTP, refresh, logout, devices (A7, S2–S4);
account: password change, withdrawal, 利用不可, system clients (A8–A10); common: what they share —
every one re-exported here (`commands.login`).

Views call these; they return plain values or raise kit.problem.Problem. Log lines name the
outcome and the opaque seeker id — never an email, birth date, password, key, OTP or token (S7).
"""

from services.auth.commands.account import (  # noqa: F401
    change_password,
    client_refused,
    client_token,
    set_usability,
    withdraw,
)
from services.auth.commands.common import (  # noqa: F401
    EMAIL,
    KEY,
    OPENING,
    OTP,
    RESET,
    TICKET,
    AuthContext,
)
from services.auth.commands.keys import (  # noqa: F401
    check_password,
    check_terms,
    complete_opening,
    complete_reset,
    request_opening,
    request_reset,
)
from services.auth.commands.login import (  # noqa: F401
    LoginResult,
    forget_devices,
    login,
    logout,
    refresh,
    verify_otp,
)

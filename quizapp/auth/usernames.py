"""What a username may be (pure): shared by accounts and class-list imports."""

from __future__ import annotations

import re

USERNAME_RE = re.compile(r"^[\w.\-]{3,64}$")

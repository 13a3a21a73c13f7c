"""Flask extensions, created unbound here and initialised in create_app."""

from __future__ import annotations

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from .db import Base

# Objects stay loaded after a commit: a request that commits and then renders (or a write path
# that ends a read transaction first) would otherwise reload every row it touches.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Storage: Redis when REDIS_URL is set (limits hold across processes), else in-process memory.
limiter = Limiter(key_func=get_remote_address)
# gzip, or brotli when the browser asks for it, for HTML, JSON and SVG (settings in config.py).
compress = Compress()

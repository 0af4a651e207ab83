# Copy to instance/config.py and adjust. Environment variables override these values.
# On SQLite, SECRET_KEY is generated into instance/secret_key on first start when not set here, and AUDIT_KEY (the
# audit chain's HMAC key, at least 32 characters) likewise into instance/audit_key. On PostgreSQL both must be set
# (here or in the environment), the same on every server (openssl rand -hex 32), or the server refuses to start.
# Keep them secret and back them up with the database.
# SECRET_KEY = "..."
# AUDIT_KEY = "..."

# PostgreSQL instead of the default SQLite file in instance/:
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://kk:secret@127.0.0.1:5432/kunnskapskommunen"

# Outgoing mail (without MAIL_SERVER, mail stays in the outbox and is shown on the admin page):
# MAIL_SERVER = "smtp.bergen.kommune.no"
# MAIL_PORT = 587
# MAIL_USE_TLS = True
# MAIL_USERNAME = "kunnskapskommunen"
# MAIL_PASSWORD = "..."

# Public address used in links in e-mail:
# BASE_URL = "https://kunnskapskommunen.bergen.kommune.no"

# Behind https, mark the session cookie Secure:
# SESSION_COOKIE_SECURE = True

# The number of reverse proxies in front of the app that add X-Forwarded-For and X-Forwarded-Proto (the client's
# address, for sign-in throttling and the log, and https are read from what they add; 0 = clients connect directly):
# PROXY_COUNT = 1
# Strict-Transport-Security on responses served over https (seconds; 0 = no such header):
# HSTS_SECONDS = 31536000

# Days before an invitation's reply deadline when the daily tick reminds municipalities that have not answered:
# REMINDER_DAYS = (14, 3)

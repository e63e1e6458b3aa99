-- Dashboard (issue 5): its users and the audit log. Times are Dutch local time, like loads.

CREATE SEQUENCE web_user_ids START 1;

CREATE TABLE web_users (
    user_id             BIGINT PRIMARY KEY DEFAULT nextval('web_user_ids'),
    name                VARCHAR NOT NULL UNIQUE,  -- as typed at login, compared case-insensitively
    role                VARCHAR NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    password_hash       VARCHAR NOT NULL,         -- 'scrypt$<n>$<r>$<p>$<salt, base64>$<hash, base64>'
    session_epoch       INTEGER NOT NULL DEFAULT 0, -- raised on a password reset: ends every open session
    created_at          TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL
);

CREATE SEQUENCE audit_ids START 1;

-- Every login, failed or blocked login, logout, export (download) and drill-down, and every change of users.
-- Never client data: `detail` holds the filters of a page (query string), not rows.
CREATE TABLE audit_log (
    audit_id  BIGINT PRIMARY KEY DEFAULT nextval('audit_ids'),
    logged_at TIMESTAMP NOT NULL,
    user_name VARCHAR,   -- the user, or the name typed at a failed login
    role      VARCHAR,
    action    VARCHAR NOT NULL,
    target    VARCHAR,   -- the page and table, the format, or the user concerned
    detail    VARCHAR,
    client_ip VARCHAR
);

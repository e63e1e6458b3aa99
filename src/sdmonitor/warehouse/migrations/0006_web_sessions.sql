-- Dashboard sessions kept by the server: the cookie holds only a random id, so logging out, an idle timeout,
-- a password reset or removing the user ends the session for every copy of the cookie.
CREATE TABLE web_sessions (
    session_hash VARCHAR PRIMARY KEY,  -- SHA-256 (hex) of the id in the cookie; the id itself is not stored
    user_id      BIGINT NOT NULL,
    started_at   DOUBLE NOT NULL,      -- seconds since 1970 (UTC), the login
    seen_at      DOUBLE NOT NULL       -- seconds since 1970 (UTC), the last request (kept to the minute)
);

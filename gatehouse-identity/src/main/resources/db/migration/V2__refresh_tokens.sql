-- Refresh tokens of the embedded OpenID provider. Only a SHA-256 hash of each token is stored, never the token.
-- A family is every token rotated from one authorization code: reusing a rotated token revokes the family.
CREATE TABLE refresh_tokens (
    token_hash      VARCHAR(64)   NOT NULL PRIMARY KEY,
    family_id       VARCHAR(64)   NOT NULL,
    client_id       VARCHAR(256)  NOT NULL,
    user_id         VARCHAR(64)   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The provider session (the tokens' sid): ending it revokes its tokens.
    session_id      VARCHAR(64)   NOT NULL,
    -- No reference: a deleted organization only drops the org claim from later tokens.
    organization_id VARCHAR(64),
    scope           VARCHAR(1024) NOT NULL,
    auth_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    issued_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Absolute: a rotated token keeps the expiry of the first token of its family.
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at         TIMESTAMP WITH TIME ZONE,
    revoked_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

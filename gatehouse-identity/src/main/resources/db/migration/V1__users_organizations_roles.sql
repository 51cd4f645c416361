-- Users, organizations, memberships and roles of the embedded identity provider.
-- Portable SQL: the same file runs on H2 (embedded default) and PostgreSQL. Unquoted names only.

CREATE TABLE users (
    id               VARCHAR(64)  NOT NULL PRIMARY KEY,
    email            VARCHAR(320) NOT NULL,
    -- Lower-cased email: the unique key, so Alice@x and alice@x cannot both exist.
    email_key        VARCHAR(320) NOT NULL,
    email_verified   BOOLEAN      NOT NULL,
    name             VARCHAR(256),
    picture          VARCHAR(2048),
    -- PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash): the parameters travel with each hash.
    password_hash    VARCHAR(1024),
    public_metadata  VARCHAR      NOT NULL,
    private_metadata VARCHAR      NOT NULL,
    unsafe_metadata  VARCHAR      NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_sign_in_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT users_email_key_unique UNIQUE (email_key)
);
CREATE INDEX users_created_at_idx ON users (created_at, id);

CREATE TABLE organizations (
    id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    slug       VARCHAR(64)  NOT NULL,
    name       VARCHAR(256) NOT NULL,
    metadata   VARCHAR      NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT organizations_slug_unique UNIQUE (slug)
);
CREATE INDEX organizations_created_at_idx ON organizations (created_at, id);

-- Roles of the whole instance. org:admin has no rows in role_permissions: it holds every permission there is.
CREATE TABLE roles (
    role_key   VARCHAR(128) NOT NULL PRIMARY KEY,
    name       VARCHAR(256) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE role_permissions (
    role_key   VARCHAR(128) NOT NULL REFERENCES roles (role_key) ON DELETE CASCADE,
    permission VARCHAR(192) NOT NULL,
    PRIMARY KEY (role_key, permission)
);

INSERT INTO roles (role_key, name, created_at) VALUES ('org:admin', 'Admin', CURRENT_TIMESTAMP);
INSERT INTO roles (role_key, name, created_at) VALUES ('org:member', 'Member', CURRENT_TIMESTAMP);
INSERT INTO role_permissions (role_key, permission) VALUES ('org:member', 'org:sys_memberships:read');

CREATE TABLE organization_memberships (
    organization_id VARCHAR(64)  NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id         VARCHAR(64)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- No cascade: a role in use cannot be deleted from under its members.
    role_key        VARCHAR(128) NOT NULL REFERENCES roles (role_key),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX organization_memberships_user_idx ON organization_memberships (user_id);

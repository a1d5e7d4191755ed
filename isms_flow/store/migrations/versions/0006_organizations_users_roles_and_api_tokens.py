"""Organizations own clients; users, their roles per client, and API tokens

Every installation gets the organization `default`, and every client that exists already
belongs to it: an upgraded database looks like a fresh one in which all clients were added
without naming an organization. See docs/accounts.md.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 01:56:16.782523
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

import isms_flow.store.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Spelled out here, not imported: a migration must keep doing what it did when the code moves on.
_DEFAULT_KEY = "default"
_DEFAULT_NAME = "Default organization"


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", isms_flow.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("key", name=op.f("uq_organizations_key")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", isms_flow.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_users_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_users_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", isms_flow.store.types.UtcDateTime(), nullable=False),
        sa.Column("expires_at", isms_flow.store.types.UtcDateTime(), nullable=False),
        sa.Column("revoked_by", sa.String(length=100), nullable=True),
        sa.Column("revoked_at", isms_flow.store.types.UtcDateTime(), nullable=True),
        sa.Column("last_used_at", isms_flow.store.types.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "role_grants",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("granted_by", sa.String(length=100), nullable=False),
        sa.Column("granted_at", isms_flow.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_role_grants_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_role_grants_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", "client_id", name=op.f("pk_role_grants")),
    )
    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_grants_client_id"), ["client_id"], unique=False)

    _create_default_organization_and_adopt_clients()


def _create_default_organization_and_adopt_clients() -> None:
    organizations = sa.table(
        "organizations",
        sa.column("key", sa.String()),
        sa.column("name", sa.String()),
        sa.column("created_by", sa.String()),
        sa.column("created_at", isms_flow.store.types.UtcDateTime()),
    )
    # Migrations run on the wall clock: there is no injected clock at this level.
    op.bulk_insert(
        organizations,
        [
            {
                "key": _DEFAULT_KEY,
                "name": _DEFAULT_NAME,
                "created_by": "migration 0006",
                "created_at": datetime.now(UTC),
            }
        ],
    )
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_clients_on_sqlite(with_organization=True)
        return
    # Nullable first, filled, then NOT NULL with its foreign key: existing rows need a value
    # before the constraint can hold.
    op.add_column("clients", sa.Column("organization_id", sa.Integer(), nullable=True))
    op.execute(
        sa.text(
            "UPDATE clients SET organization_id = (SELECT id FROM organizations WHERE key = :key)"
        ).bindparams(key=_DEFAULT_KEY)
    )
    op.alter_column("clients", "organization_id", existing_type=sa.Integer(), nullable=False)
    op.create_index(op.f("ix_clients_organization_id"), "clients", ["organization_id"])
    op.create_foreign_key(
        op.f("fk_clients_organization_id_organizations"),
        "clients",
        "organizations",
        ["organization_id"],
        ["id"],
    )


_CLIENT_COLUMNS = "id, key, name, timezone, language, created_at"


def _rebuild_clients_on_sqlite(*, with_organization: bool) -> None:
    """Recreate `clients` with or without `organization_id`, keeping every row and its id.

    SQLite cannot add a NOT NULL foreign-key column in place, and Alembic's batch copy drops
    `clients` *after* copying it while projects, recipients… still point at it, which
    `foreign_keys=ON` refuses (the pragma cannot be switched off inside the migration's
    transaction). So the rows are parked in a plain table, `clients` is dropped and created
    anew, and the rows go back in: with the foreign-key check deferred to commit, every child
    row has found its parent again by then.
    """
    op.execute("PRAGMA defer_foreign_keys = ON")
    op.execute(f"CREATE TABLE _clients_rows AS SELECT {_CLIENT_COLUMNS} FROM clients")
    op.drop_table("clients")
    columns: list[SchemaItem] = [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("created_at", isms_flow.store.types.UtcDateTime(), nullable=False),
    ]
    constraints: list[SchemaItem] = [
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
        sa.UniqueConstraint("key", name=op.f("uq_clients_key")),
    ]
    if with_organization:
        columns.append(sa.Column("organization_id", sa.Integer(), nullable=False))
        constraints.append(
            sa.ForeignKeyConstraint(
                ["organization_id"],
                ["organizations.id"],
                name=op.f("fk_clients_organization_id_organizations"),
            )
        )
    op.create_table("clients", *columns, *constraints)
    if with_organization:
        op.create_index(op.f("ix_clients_organization_id"), "clients", ["organization_id"])
        op.execute(
            sa.text(
                f"INSERT INTO clients ({_CLIENT_COLUMNS}, organization_id) "
                f"SELECT {_CLIENT_COLUMNS}, (SELECT id FROM organizations WHERE key = :key) "
                "FROM _clients_rows"
            ).bindparams(key=_DEFAULT_KEY)
        )
    else:
        op.execute(
            f"INSERT INTO clients ({_CLIENT_COLUMNS}) SELECT {_CLIENT_COLUMNS} FROM _clients_rows"
        )
    op.execute("DROP TABLE _clients_rows")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_clients_on_sqlite(with_organization=False)
    else:
        op.drop_constraint(
            op.f("fk_clients_organization_id_organizations"), "clients", type_="foreignkey"
        )
        op.drop_index(op.f("ix_clients_organization_id"), table_name="clients")
        op.drop_column("clients", "organization_id")

    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_grants_client_id"))
    op.drop_table("role_grants")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))
    op.drop_table("api_tokens")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_organization_id"))
    op.drop_table("users")
    op.drop_table("organizations")

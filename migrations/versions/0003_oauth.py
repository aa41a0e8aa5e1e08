"""OAuth 2.0: clients, signing keys, the access-token deny list, used client assertions

Revision ID: 0003_oauth
Revises: 0001
Create Date: 2026-11-22 00:41:21.006460
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hub.db.types

revision: str = '0003_oauth'
down_revision: str | None = "0002_policy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('oauth2_clients',
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('profile', sa.Enum('HRSS', 'DISTRICT', 'DRC', 'MSB', 'BDC', 'BANK', 'AUDITOR', 'ADMIN', name='profile', native_enum=False, length=40), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('districts', sa.JSON(), nullable=False),
    sa.Column('department', sa.String(length=40), nullable=True),
    sa.Column('secret_hash', sa.String(length=255), nullable=True),
    sa.Column('jwks', sa.JSON(), nullable=True),
    sa.Column('disabled_at', hub.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('created_at', hub.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hub.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth2_clients')),
    sa.UniqueConstraint('client_id', name=op.f('uq_oauth2_clients_client_id')),
    sa.UniqueConstraint('name', name=op.f('uq_oauth2_clients_name'))
    )
    op.create_table('oauth2_revoked_tokens',
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('jti', sa.String(length=200), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('expires_at', hub.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', hub.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('issuer', 'jti', name=op.f('pk_oauth2_revoked_tokens'))
    )
    with op.batch_alter_table('oauth2_revoked_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth2_revoked_tokens_expires_at'), ['expires_at'], unique=False)

    op.create_table('oauth2_signing_keys',
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('alg', sa.String(length=10), nullable=False),
    sa.Column('private_jwk', sa.JSON(), nullable=False),
    sa.Column('created_at', hub.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('retired_at', hub.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_until', hub.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth2_signing_keys')),
    sa.UniqueConstraint('kid', name=op.f('uq_oauth2_signing_keys_kid'))
    )
    op.create_table('oauth2_used_assertions',
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('jti', sa.String(length=200), nullable=False),
    sa.Column('expires_at', hub.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('client_id', 'jti', name=op.f('pk_oauth2_used_assertions'))
    )
    with op.batch_alter_table('oauth2_used_assertions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth2_used_assertions_expires_at'), ['expires_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('oauth2_used_assertions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth2_used_assertions_expires_at'))

    op.drop_table('oauth2_used_assertions')
    op.drop_table('oauth2_signing_keys')
    with op.batch_alter_table('oauth2_revoked_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth2_revoked_tokens_expires_at'))

    op.drop_table('oauth2_revoked_tokens')
    op.drop_table('oauth2_clients')

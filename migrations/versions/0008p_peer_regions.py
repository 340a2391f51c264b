"""peer regions: the province (330000 浙江省) and its 11 设区市, for 全省位次

Revision ID: 0008p
Revises: 0007o
Create Date: 2026-12-01 04:40:00

The level check gains "province". The province and the cities are inserted as reference rows (a city
a plan file already defines, e.g. the home city 330600, is left as the plan defines it). The peer
cities hang under the province; they have no districts. The rows are written here, frozen, rather
than read from ``dashboard.ranking``: a migration must keep meaning what it meant when written.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008p"
down_revision = "0007o"
branch_labels = None
depends_on = None

_OLD = "level IN ('city', 'district')"
_NEW = "level IN ('province', 'city', 'district')"
PROVINCE = ("330000", "浙江省")
CITIES = (
    ("330100", "杭州市"), ("330200", "宁波市"), ("330300", "温州市"), ("330400", "嘉兴市"),
    ("330500", "湖州市"), ("330600", "绍兴市"), ("330700", "金华市"), ("330800", "衢州市"),
    ("330900", "舟山市"), ("331000", "台州市"), ("331100", "丽水市"),
)
# After every region of a plan file (whose sort orders count from 0): peers list after the home region.
SORT_FROM = 900

regions = sa.table(
    "regions", sa.column("code", sa.String), sa.column("name", sa.String), sa.column("level", sa.String),
    sa.column("parent_code", sa.String), sa.column("sort_order", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("regions") as batch:
        batch.drop_constraint(op.f("ck_regions_level"), type_="check")
        batch.create_check_constraint("level", _NEW)
    connection = op.get_bind()
    taken = {(code, name) for code, name in connection.execute(sa.select(regions.c.code, regions.c.name))}
    codes, names = {c for c, _ in taken}, {n for _, n in taken}
    rows = [{"code": PROVINCE[0], "name": PROVINCE[1], "level": "province", "parent_code": None,
             "sort_order": SORT_FROM}]
    rows += [{"code": code, "name": name, "level": "city", "parent_code": PROVINCE[0], "sort_order": SORT_FROM + n}
             for n, (code, name) in enumerate(CITIES, start=1)]
    new = [row for row in rows if row["code"] not in codes and row["name"] not in names]
    if PROVINCE[0] not in codes and new[:1] != rows[:1]:
        new = []  # the province's name is taken by another code: no province row, so no cities under it
    if new:
        op.bulk_insert(regions, new)


def downgrade() -> None:
    connection = op.get_bind()
    codes = [PROVINCE[0], *(code for code, _ in CITIES)]
    # A city a plan defines (parent none, e.g. the home city) is no peer row and stays.
    peers = [code for (code,) in connection.execute(sa.select(regions.c.code).where(
        regions.c.code.in_(codes), sa.or_(regions.c.parent_code == PROVINCE[0], regions.c.code == PROVINCE[0])))]
    # The older schema has no place for peer figures: refuse rather than drop what staff uploaded.
    for name in ("observations", "targets"):
        table = sa.table(name, sa.column("region_code", sa.String))
        used = connection.execute(
            sa.select(sa.func.count()).select_from(table).where(table.c.region_code.in_(peers))).scalar_one()
        if used:
            raise RuntimeError(f"{used} rows of {name} belong to the peer regions (全省对比); "
                               "downgrading would lose them")
    connection.execute(regions.delete().where(regions.c.code.in_(peers), regions.c.code != PROVINCE[0]))
    connection.execute(regions.delete().where(regions.c.code == PROVINCE[0]))
    with op.batch_alter_table("regions") as batch:
        batch.drop_constraint(op.f("ck_regions_level"), type_="check")
        batch.create_check_constraint("level", _OLD)

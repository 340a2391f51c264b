"""Indicator metadata edits (administrators): definition, source agency, lead unit, decimals."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard import auth
from dashboard.auth import Actor
from dashboard.errors import InputError, NotFoundError
from dashboard.storage import accounts as accounts_repo
from dashboard.storage import repository as repo
from dashboard.storage.db import transaction

EDITABLE_FIELDS = {"definition": "定义", "source_agency": "数据来源单位", "lead_unit": "牵头单位", "decimals": "小数位数"}
AUDIT_METADATA = "metadata"


def update_indicator(engine: Engine, actor: Actor, code: str, **changes: object) -> list[str]:
    """Change editable metadata fields of one indicator; return the Chinese names of fields changed.

    Figures are not metadata: targets and actuals change only through their own versioned services.
    """
    auth.require(actor, auth.EDIT_METADATA)
    unknown = [key for key in changes if key not in EDITABLE_FIELDS]
    if unknown:
        raise InputError(f"不能修改的字段：{'、'.join(unknown)}")
    decimals = changes.get("decimals")
    if decimals is not None and (not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 6):
        raise InputError("小数位数应为 0 到 6 的整数")
    with transaction(engine) as session:
        indicator = repo.indicator_by_code(session, code)
        if indicator is None:
            raise NotFoundError(f"没有指标“{code}”")
        changed = []
        details = []
        for key, value in changes.items():
            old = getattr(indicator, key)
            if old != value:
                setattr(indicator, key, value)
                changed.append(EDITABLE_FIELDS[key])
                details.append(f"{EDITABLE_FIELDS[key]}：{old} → {value}")
        if changed:
            accounts_repo.add_audit_event(session, actor.label, AUDIT_METADATA, target=f"{indicator.code} {indicator.name}",
                                          detail="；".join(details))
        return changed

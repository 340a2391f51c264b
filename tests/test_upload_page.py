"""The 数据填报 and 提交记录 pages in AppTest: upload, located errors, confirmed warnings, commit, rollback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.services import exporter, history
from dashboard.services.plans import open_database

ROOT = Path(__file__).resolve().parents[1]
UPLOAD, HISTORY = "dashboard/ui/pages/upload.py", "dashboard/ui/pages/history.py"


@pytest.fixture
def app_url(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    return sqlite_url


def run(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, name: str, text: str | bytes) -> AppTest:
    data = text.encode("utf-8") if isinstance(text, str) else text
    at.get("file_uploader")[0].upload(name, data).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, key: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.key == key)


def stored(url: str) -> dict[tuple, float]:
    return {(r["indicator"], r["region"], r["year"]): r["value"] for r in exporter.export_rows(open_database(url))}


def test_page_offers_the_template_of_last_year(app_url: str) -> None:
    at = run(UPLOAD)
    assert [t.value for t in at.title] == ["数据填报"]
    [download] = at.get("download_button")
    assert "填报模板_绍兴市_" in download.proto.label
    assert at.selectbox(key="tpl_region").options[0] == "绍兴市"


def test_errors_are_listed_with_file_sheet_row_and_column(app_url: str) -> None:
    at = upload(run(UPLOAD), "bad.csv", "指标,地区,年份,数值\n网络零售额,越城区,2024,约100\n平台,火星,2024,3\n")
    assert "2 处问题" in at.error[0].value and "未写入任何数据" in at.error[0].value
    # Shown open, outside the collapsed status box, with the first problem named in the message itself.
    assert not [e for box in at.status for e in box.error]
    assert "第一处：" in at.error[0].value and "第 2 行" in at.error[0].value and "约100" in at.error[0].value
    frame = at.dataframe[0].value
    assert list(frame["行"]) == ["2", "3"] and list(frame["列"]) == ["数值", "地区"]
    assert set(frame["文件"]) == {"bad.csv"}
    assert not [b for b in at.button if b.key == "upload_commit"]
    assert stored(app_url).get(("SX01", "330602", 2024)) is None


def test_old_xls_gets_save_as_xlsx(app_url: str) -> None:
    at = upload(run(UPLOAD), "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "另存为" in at.dataframe[0].value["说明"][0]


def test_warnings_must_be_confirmed_before_the_commit(app_url: str) -> None:
    text = "指标,地区,年份,数值\n网络经营主体,绍兴市,2023,67000\n网络零售额,越城区,2023,180\n网络零售额,绍兴市,2022,921\n"
    at = upload(run(UPLOAD), "slip.csv", text)
    assert "1 条提醒" in at.warning[0].value
    assert "可能是单位填错" in at.dataframe[1].value["说明"][0]
    preview = at.dataframe[0].value
    assert sorted(preview["变化"]) == ["不变", "新增", "新增"]
    assert button(at, "upload_commit").disabled
    at.checkbox[0].check().run()
    assert not button(at, "upload_commit").disabled
    button(at, "upload_commit").click().run()
    assert not at.exception
    assert "已提交，提交编号" in at.success[0].value and "新增 2 个" in at.success[0].value
    assert stored(app_url)[("SX02", "330600", 2023)] == 67000  # the user confirmed it
    assert not at.get("file_uploader")[0].value  # emptied for the next file


def test_changed_values_show_old_and_new(app_url: str) -> None:
    at = upload(run(UPLOAD), "fix.csv", "指标,地区,年份,数值\n网络零售额,绍兴市,2022,925\n")
    row = at.dataframe[0].value.iloc[0]
    assert (row["变化"], row["原值 → 新值"]) == ("修改", "921 → 925")
    button(at, "upload_commit").click().run()
    assert stored(app_url)[("SX01", "330600", 2022)] == 925


def test_history_page_rolls_back_after_confirmation(app_url: str) -> None:
    at = upload(run(UPLOAD), "fix.csv", "指标,地区,年份,数值\n网络零售额,绍兴市,2022,925\n")
    button(at, "upload_commit").click().run()
    at = run(HISTORY)
    assert [t.value for t in at.title] == ["提交记录"]
    submissions = at.dataframe[0].value
    newest = int(submissions["编号"][0])
    assert submissions["文件"][0] == "fix.csv" and submissions["类型"][0] == "数据导入"
    assert at.dataframe[1].value["原值 → 新值"][0] == "921 → 925"
    assert button(at, f"rollback_{newest}").disabled
    at.checkbox(key=f"rollback_confirm_{newest}").check().run()
    button(at, f"rollback_{newest}").click().run()
    assert not at.exception
    assert f"已撤销提交 #{newest}" in at.success[0].value
    assert stored(app_url)[("SX01", "330600", 2022)] == 921
    assert history.list_submissions(open_database(app_url))[0].kind == "rollback"
    # The value history lists all three versions; the current one is the restored plan figure.
    values = at.dataframe[-1].value
    assert list(values["值"]) == ["921 亿元", "925 亿元", "921 亿元"]
    assert values["现状"].iloc[-1] == "✅ 当前"

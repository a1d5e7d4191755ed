"""The demo's training register: a plausible roster of the development division and the Tokyo
head office, and this year's awareness e-learning, imported from CSV as a client would."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from isms_flow.bootstrap import App
from isms_flow.i18n import Language
from isms_flow.isms.requirements.training import TrainingCoverageRequirement
from isms_flow.isms.training import add_months
from isms_flow.services.demo import DemoStep
from isms_flow.services.registers.training.imports import import_completions, import_staff
from isms_flow.services.registers.training.roster import add_course, list_courses
from isms_flow.services.registers.training.status import training_status

if TYPE_CHECKING:
    from isms_flow.workflow.requirements import Requirement

__all__ = ["fill_training"]

_RECORDER = "sato.isms"
_COURSE = "awareness"

# (department, role, how many, months since the first of them joined). The first rows are the
# people who sign in the demo (tanaka.ceo, sato.isms, suzuki.it, yamada.audit).
_TEAMS: tuple[tuple[str, str, int, int], ...] = (
    ("Corporate Planning", "Executive", 4, 240),
    ("Information Systems", "Systems administrator", 2, 130),
    ("Infrastructure & Operations", "SRE", 6, 160),
    ("Quality Assurance", "QA engineer", 5, 110),
    ("Development Dept. 1", "Software engineer", 12, 150),
    ("Development Dept. 2", "Mobile engineer", 10, 90),
    ("General Affairs & HR", "HR specialist", 4, 200),
    ("Finance", "Accountant", 2, 180),
)
_NEWEST = 4 + 2 + 6 + 5 + 12 - 1  # the last of "Development Dept. 1", counted from 0
_FIRST = {
    "Corporate Planning": ("田中 誠", "Chief executive officer"),
    "Information Systems": ("佐藤 由美", "ISMS manager"),
    "Infrastructure & Operations": ("鈴木 健太", "Infrastructure manager"),
    "Quality Assurance": ("山田 直樹", "QA manager / internal auditor"),
}
_FAMILY = (  # noqa: SIM905 - 45 names read better as text than as 45 lines
    "高橋 伊藤 渡辺 中村 小林 加藤 吉田 山口 松本 井上 木村 林 斎藤 清水 "
    "山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 "
    "藤田 後藤 近藤 村上 遠藤 青木 坂本 斉藤 福田 太田 西村 藤井 金子 "
    "岡本 藤原 三浦 中野 原田"
).split()
_GIVEN = (  # noqa: SIM905 - 45 names read better as text than as 45 lines
    "陽菜 大翔 美咲 翔太 葵 蓮 結衣 悠真 さくら 拓海 彩 颯太 真央 大輝 "
    "凛 海斗 優花 健一 花子 浩二 明美 隆 恵 一郎 奈々 亮 智子 修 舞 "
    "大介 裕子 翼 千尋 剛 麻衣 航 由香 誠也 愛 俊 里奈 学 春香 直人 "
    "優子"
).split()


def fill_training(
    app: App, ref: str, requirement: Requirement, folder: Path, lang: Language
) -> Iterator[DemoStep]:
    """Add the awareness course, import the roster and this year's completions, show coverage."""
    course = _COURSE
    if isinstance(requirement, TrainingCoverageRequirement) and requirement.course:
        course = requirement.course
    if course not in {c.key for c in list_courses(app, ref=ref)}:
        view = add_course(
            app,
            ref=ref,
            key=course,
            title="Information security awareness (annual e-learning)",
            title_ja="情報セキュリティ意識向上研修（年次eラーニング）",
            validity_months=12,
            actor=_RECORDER,
        )
        title = view.title_ja if lang == "ja" else view.title
        yield DemoStep("evidence", f"course '{view.key}' added: {title}, valid 12 months")
    today = training_status(app, ref=ref).as_of  # the client's today
    roster, completions = _roster(today), _completions(today, course)
    staff_file = _write(folder / "staff.csv", roster)
    done = import_staff(app, ref=ref, file=staff_file, actor=_RECORDER)
    yield DemoStep(
        "evidence",
        f"roster imported from {done.file}: {done.added} people added, {done.updated} updated",
    )
    records_file = _write(folder / "training-completions.csv", completions)
    done = import_completions(app, ref=ref, file=records_file, actor=_RECORDER)
    yield DemoStep(
        "evidence",
        f"completions of '{course}' imported from {done.file}: {done.added} recorded",
    )
    status = training_status(app, ref=ref, course=course)
    departments = tuple(f"{d.department}: {d.covered}/{d.in_scope}" for d in status.departments)
    yield DemoStep(
        "evidence",
        f"training coverage on {status.as_of}: {status.covered}/{status.in_scope} in-scope "
        f"staff ({status.percent}%); {status.roster - status.in_scope} on the roster not "
        "counted (left, or outside the scope)",
        departments,
    )


def _roster(today: date) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    number = 0
    for department, role, size, months in _TEAMS:
        for index in range(size):
            name = f"{_FAMILY[number]} {_GIVEN[(number * 7) % len(_GIVEN)]}"
            if index == 0 and department in _FIRST:
                name, role_of = _FIRST[department]
            else:
                role_of = role
            # Spread from `months` ago down the team; the last hire of the biggest team joined
            # two months ago (and took the course while onboarding).
            months_ago = 2 if number == _NEWEST else months - index * (months // size)
            joined = _joining_day(today, months_ago, new_graduate=index % 3 == 1)
            rows.append(_person(f"E{1001 + number}", name, department, role_of, joined))
            number += 1
    # Not counted: a developer who left last month, and a salesperson outside the scope.
    joined_long_ago = _joining_day(today, 60, new_graduate=True)
    joined_recently = _joining_day(today, 30, new_graduate=False)
    left = _person("E1046", "野口 剛", "Development Dept. 1", "Software engineer", joined_long_ago)
    left["left"] = (today - timedelta(days=20)).isoformat()
    rows.append(left)
    osaka = _person("E1047", "今井 沙織", "Osaka Sales Office", "Account manager", joined_recently)
    osaka["in_scope"] = "no"
    rows.append(osaka)
    for row in rows:
        row.setdefault("left", "")
        row.setdefault("in_scope", "yes")
    return rows


def _joining_day(today: date, months_ago: int, *, new_graduate: bool) -> date:
    # Mid-career hires start on the 1st of a month; new graduates on 1 April, as in Japan.
    first = add_months(today, -months_ago).replace(day=1)
    if not new_graduate:
        return first
    april = first.replace(month=4)
    return april if april <= today else april.replace(year=april.year - 1)


def _completions(today: date, course: str) -> list[dict[str, str]]:
    rows = []
    for index, person in enumerate(_roster(today)):
        if person["left"] or person["in_scope"] == "no":
            continue
        joined = date.fromisoformat(person["joined"])
        # This year's campaign ran over the last weeks; recent joiners took it when onboarding.
        taken = max(today - timedelta(days=14 + index % 30), joined + timedelta(days=3))
        completed_on = min(taken, today).isoformat()
        rows.append(
            {"employee_id": person["employee_id"], "course": course, "completed_on": completed_on}
        )
    return rows


def _person(
    employee_id: str, name: str, department: str, role: str, joined: date
) -> dict[str, str]:
    return {
        "employee_id": employee_id,
        "name": name,
        "department": department,
        "role": role,
        "joined": joined.isoformat(),
    }


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path

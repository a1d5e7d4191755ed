"""Training: the in-scope staff roster, courses and completion records."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from isms_flow.store.models import Base
from isms_flow.store.types import UtcDateTime

__all__ = ["CourseRow", "StaffRow", "TrainingRecordRow"]


class StaffRow(Base):
    """A person working under the organization's control (employees and contractors)."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("project_id", "employee_id", name="uq_staff_employee"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    employee_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    joined: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    in_scope: Mapped[bool] = mapped_column(Boolean, default=True)


class CourseRow(Base):
    """A training course; a completion counts for `validity_months` (default 12)."""

    __tablename__ = "courses"
    __table_args__ = (UniqueConstraint("project_id", "key", name="uq_courses_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    title_ja: Mapped[str] = mapped_column(String(200), default="")
    validity_months: Mapped[int] = mapped_column(Integer, default=12)


class TrainingRecordRow(Base):
    """One person completed one course on one day."""

    __tablename__ = "training_records"
    __table_args__ = (
        UniqueConstraint("staff_id", "course_id", "completed_on", name="uq_training_records_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    completed_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())

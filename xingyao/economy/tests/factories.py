"""Industry records for tests, written straight to the database (the actions are tested on their own)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xingyao.economy.models import Cooperative, Income, Industry, IndustryArea, Project
from xingyao.economy.workflow import Brand, Stage


def project(
    world: Any,
    town: str = "溧河铺镇",
    *,
    village: str | None = "毛桥村",
    name: str = "食品加工项目",
    stage: str = Stage.LEAD,
    registered_on: dt.date = dt.date(2023, 3, 1),
    signed_on: dt.date | None = None,
    amount: int = 5000,
    jobs: int = 100,
    follow_up_due: dt.date | None = None,
) -> Project:
    found = Project.objects.unscoped("test").filter(town=world.unit(town), name=name).first()
    if found:
        return found
    return Project.objects.create(
        town=world.unit(town),
        village=world.unit(village) if village else None,
        name=name,
        investor="某投资公司",
        sector="食品加工",
        amount=Decimal(amount),
        land_mu=Decimal(20),
        jobs=jobs,
        leader="镇长 张明",
        stage=stage,
        registered_on=registered_on,
        signed_on=signed_on,
        follow_up_due=follow_up_due,
    )


def industry(world: Any, village: str = "毛桥村", *, name: str = "毛桥辣椒", brand: str = Brand.NONE) -> Industry:
    unit = world.unit(village)
    found = Industry.objects.unscoped("test").filter(town=unit.parent, name=name).first()
    if found:
        return found
    return Industry.objects.create(
        town=unit.parent, village=unit, name=name, product="辣椒", brand_level=brand, brand="高山" if brand else ""
    )


def area(
    world: Any, village: str = "毛桥村", *, name: str = "毛桥辣椒", year: int = 2023, mu: int = 600
) -> IndustryArea:
    found = Industry.objects.unscoped("test").filter(name=name).first() or industry(world, village, name=name)
    return IndustryArea.objects.create(
        industry=found, village=world.unit(village), year=year, area_mu=Decimal(mu), households=30, jobs=20
    )


def cooperative(world: Any, village: str = "毛桥村", *, name: str = "毛桥种植专业合作社") -> Cooperative:
    return Cooperative.objects.create(village=world.unit(village), name=name, members=50, crops="有机小麦")


def income(world: Any, village: str = "毛桥村", *, year: int = 2023, operating: int = 80000, assets: int = 40000):
    return Income.objects.create(
        village=world.unit(village), year=year, operating=Decimal(operating), assets=Decimal(assets)
    )


def photo(name: str = "签约仪式.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (60, 40), "blue")
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def csv_file(rows: list[list[Any]], name: str = "台账.csv") -> SimpleUploadedFile:
    text = "\n".join(",".join(str(c) for c in row) for row in rows) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def enterprise(world: Any, village: str = "毛桥村", *, name: str = "新野县某纺织有限公司") -> Any:
    from xingyao.economy.models import Enterprise

    found = Enterprise.objects.unscoped("test").filter(village=world.unit(village), name=name).first()
    return found or Enterprise.objects.create(
        village=world.unit(village), name=name, contact="王经理", phone="13800000000", official="副镇长 王磊"
    )


def request(
    world: Any,
    village: str = "毛桥村",
    *,
    content: str = "申请协调厂区道路硬化",
    received_on: dt.date = dt.date(2023, 6, 1),
    state: str = "received",
    solve_due: dt.date = dt.date(2023, 6, 12),
    solved_on: dt.date | None = None,
) -> Any:
    from xingyao.economy.models import EnterpriseRequest

    return EnterpriseRequest.objects.create(
        enterprise=enterprise(world, village),
        content=content,
        official="副镇长 王磊",
        state=state,
        received_on=received_on,
        handover_due=received_on + dt.timedelta(days=1),
        answer_due=received_on + dt.timedelta(days=3),
        solve_due=solve_due,
        solved_on=solved_on,
    )

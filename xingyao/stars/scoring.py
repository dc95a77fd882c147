"""Pure scoring of one village against a yearly criteria set.

No Django here: the criteria set arrives as frozen dataclasses (built from the database or from
plain data with `to_spec`), the village's values as a mapping from indicator code to value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, NamedTuple

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class Kind(StrEnum):
    BOOL = "bool"
    NUMBER = "number"
    CHOICE = "choice"
    SCORE = "score"
    EVIDENCE = "evidence"


class Comparison(StrEnum):
    AT_LEAST = ">="
    AT_MOST = "<="


class ReasonCode(StrEnum):
    VETO = "veto"
    REQUIRED = "required"
    POINTS = "points"
    PREREQUISITE = "prerequisite"


# bool for BOOL, Decimal for NUMBER and SCORE, str (option value) for CHOICE, int (file count) for EVIDENCE.
Value = bool | Decimal | str | int


class Choice(NamedTuple):
    value: str
    label: str
    points: Decimal


@dataclass(frozen=True)
class StarSpec:
    code: str
    name: str
    order: int
    min_points: Decimal | None = None
    require_all_required: bool = True
    prerequisites: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    star_code: str
    section: str
    name: str
    kind: Kind
    points: Decimal
    required: bool = False
    veto: bool = False
    # NUMBER: the value compared with it; CHOICE and SCORE: the points (resp. score) needed to count as met.
    threshold: Decimal | None = None
    comparison: Comparison = Comparison.AT_LEAST
    choices: tuple[Choice, ...] = ()
    min_score: Decimal = ZERO
    max_score: Decimal | None = None
    evidence_count: int = 1
    unit: str = ""
    data_source: str | None = None
    note: str = ""

    @property
    def max_points(self) -> Decimal:
        """The most points this indicator can actually earn."""
        if self.kind is Kind.CHOICE:
            return min(max((c.points for c in self.choices), default=ZERO), self.points)
        if self.kind is Kind.SCORE and self.max_score is not None:
            return min(self.max_score, self.points)
        return self.points


@dataclass(frozen=True)
class CriteriaSpec:
    stars: tuple[StarSpec, ...]
    indicators: tuple[IndicatorSpec, ...]

    def star(self, code: str) -> StarSpec:
        return next(s for s in self.stars if s.code == code)

    def indicators_of(self, star_code: str) -> tuple[IndicatorSpec, ...]:
        return tuple(i for i in self.indicators if i.star_code == star_code)


@dataclass(frozen=True)
class Reason:
    """Why a star was not passed; `subject` is an indicator code or a star code."""

    code: ReasonCode
    subject: str
    message: str


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    met: bool
    points: Decimal


@dataclass(frozen=True)
class StarScore:
    star_code: str
    points: Decimal
    max_points: Decimal
    passed: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class VillageScore:
    stars: tuple[StarScore, ...]
    indicators: tuple[IndicatorResult, ...]

    @property
    def passed_codes(self) -> tuple[str, ...]:
        return tuple(s.star_code for s in self.stars if s.passed)

    @property
    def star_count(self) -> int:
        return len(self.passed_codes)

    def star(self, code: str) -> StarScore:
        return next(s for s in self.stars if s.star_code == code)

    def indicator(self, code: str) -> IndicatorResult:
        return next(i for i in self.indicators if i.code == code)


def fmt(number: Decimal) -> str:
    """52 rather than 52.00, 52.5 rather than 52.50."""
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return str(number.normalize())


# --- validating one value -------------------------------------------------------------------------

_TRUE = {"true", "1", "yes", "y", "是", "有", "达标"}
_FALSE = {"false", "0", "no", "n", "否", "无", "未达标"}


def _decimal(raw: object) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, int | float | str):
        try:
            number = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def validate_value(indicator: IndicatorSpec, raw: object) -> Value | None:
    """Turn a raw form/JSON/data-source value into the indicator's typed value; None means missing."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    name = f"「{indicator.name}」"
    match indicator.kind:
        case Kind.BOOL:
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, int) and raw in (0, 1):
                return bool(raw)
            if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
                return raw.strip().lower() in _TRUE
            raise ValueError(f"{name}应为“是”或“否”")
        case Kind.NUMBER:
            number = _decimal(raw)
            if number is None:
                raise ValueError(f"{name}应为数字")
            if number < 0:
                raise ValueError(f"{name}不能为负数")
            if indicator.unit == "%" and number > HUNDRED:
                raise ValueError(f"{name}应在 0% 到 100% 之间")
            return number
        case Kind.CHOICE:
            value = str(raw).strip()
            if value not in {c.value for c in indicator.choices}:
                options = "、".join(c.label for c in indicator.choices)
                raise ValueError(f"{name}的选项「{value}」无效，可选：{options}")
            return value
        case Kind.SCORE:
            number = _decimal(raw)
            if number is None:
                raise ValueError(f"{name}的得分应为数字")
            top = indicator.max_score if indicator.max_score is not None else indicator.points
            if not indicator.min_score <= number <= top:
                raise ValueError(f"{name}得分应在 {fmt(indicator.min_score)} 到 {fmt(top)} 之间")
            return number
        case Kind.EVIDENCE:
            number = _decimal(raw)
            if number is None or number < 0 or number != number.to_integral_value():
                raise ValueError(f"{name}的佐证材料数量应为非负整数")
            return int(number)
    raise ValueError(f"{name}的类型「{indicator.kind}」未知")  # pragma: no cover - Kind is closed


# --- scoring ----------------------------------------------------------------------------------------


def evaluate(indicator: IndicatorSpec, value: Value | None) -> IndicatorResult:
    """Whether one indicator is met and the points it earns; a missing value is not met and earns 0."""
    if value is None:
        return IndicatorResult(indicator.code, False, ZERO)
    match indicator.kind:
        case Kind.BOOL:
            met = value is True
            earned = indicator.points if met else ZERO
        case Kind.NUMBER:
            assert isinstance(value, Decimal) and indicator.threshold is not None
            if indicator.comparison is Comparison.AT_MOST:
                met = value <= indicator.threshold
            else:
                met = value >= indicator.threshold
            earned = indicator.points if met else ZERO
        case Kind.CHOICE:
            chosen = next(c for c in indicator.choices if c.value == value)
            earned = max(ZERO, min(chosen.points, indicator.points))
            met = earned >= indicator.threshold if indicator.threshold is not None else earned > 0
        case Kind.SCORE:
            assert isinstance(value, Decimal)
            earned = max(ZERO, min(value, indicator.points))
            met = value >= indicator.threshold if indicator.threshold is not None else earned > 0
        case Kind.EVIDENCE:
            assert isinstance(value, int)
            met = value >= indicator.evidence_count
            earned = indicator.points if met else ZERO
    return IndicatorResult(indicator.code, met, earned)


def _star_order(spec: CriteriaSpec) -> list[StarSpec]:
    """Stars with every prerequisite before the stars that need it."""
    done: dict[str, StarSpec] = {}
    pending = sorted(spec.stars, key=lambda s: s.order)
    while pending:
        ready = [s for s in pending if all(p in done for p in s.prerequisites)]
        if not ready:
            names = "、".join(s.name for s in pending)
            raise ValueError(f"前置星存在循环依赖：{names}")
        for star in ready:
            done[star.code] = star
        pending = [s for s in pending if s.code not in done]
    return list(done.values())


def score(spec: CriteriaSpec, values: Mapping[str, object]) -> VillageScore:
    """Score a village: per star its points, whether it passed and why not."""
    validate_spec(spec)
    by_code = {i.code: i for i in spec.indicators}
    unknown = sorted(set(values) - set(by_code))
    if unknown:
        raise ValueError(f"未知指标：{'、'.join(unknown)}")
    results = {i.code: evaluate(i, validate_value(i, values.get(i.code))) for i in spec.indicators}

    passed: dict[str, bool] = {}
    star_scores: dict[str, StarScore] = {}
    for star in _star_order(spec):
        indicators = spec.indicators_of(star.code)
        points = sum((results[i.code].points for i in indicators), ZERO)
        reasons: list[Reason] = []
        for i in indicators:
            if i.veto and not results[i.code].met:
                reasons.append(Reason(ReasonCode.VETO, i.code, f"一票否决：「{i.name}」未达标"))
        if star.require_all_required:
            for i in indicators:
                if i.required and not i.veto and not results[i.code].met:
                    reasons.append(Reason(ReasonCode.REQUIRED, i.code, f"必备指标未达标：「{i.name}」"))
        if star.min_points is not None and points < star.min_points:
            message = f"得分 {fmt(points)} 低于 {fmt(star.min_points)} 分"
            reasons.append(Reason(ReasonCode.POINTS, star.code, message))
        for code in star.prerequisites:
            if not passed[code]:
                message = f"前置星 {spec.star(code).name} 未评上"
                reasons.append(Reason(ReasonCode.PREREQUISITE, code, message))
        passed[star.code] = not reasons
        star_scores[star.code] = StarScore(
            star_code=star.code,
            points=points,
            max_points=sum((i.max_points for i in indicators), ZERO),
            passed=not reasons,
            reasons=tuple(reasons),
        )
    ordered = sorted(spec.stars, key=lambda s: s.order)
    return VillageScore(
        stars=tuple(star_scores[s.code] for s in ordered),
        indicators=tuple(results[i.code] for i in spec.indicators),
    )


# --- validating and building a spec -----------------------------------------------------------------


def _duplicates(codes: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: set[str] = set()
    for code in codes:
        (repeated if code in seen else seen).add(code)
    return sorted(repeated)


def validate_spec(spec: CriteriaSpec) -> None:
    """Raise ValueError (in Chinese) when the criteria set is inconsistent."""
    if not spec.stars:
        raise ValueError("评定标准至少要有一颗星")
    if dup := _duplicates(s.code for s in spec.stars):
        raise ValueError(f"星的编码重复：{'、'.join(dup)}")
    if dup := _duplicates(i.code for i in spec.indicators):
        raise ValueError(f"指标编码重复：{'、'.join(dup)}")
    star_codes = {s.code for s in spec.stars}
    for i in spec.indicators:
        _validate_indicator(i, star_codes)
    for star in spec.stars:
        for code in star.prerequisites:
            if code not in star_codes:
                raise ValueError(f"「{star.name}」的前置星「{code}」不存在")
            if code == star.code:
                raise ValueError(f"「{star.name}」不能以自身为前置星")
        if star.min_points is not None and star.min_points < 0:
            raise ValueError(f"「{star.name}」的最低分不能为负数")
        if not spec.indicators_of(star.code):
            raise ValueError(f"「{star.name}」没有任何指标")
    _star_order(spec)


def _validate_indicator(i: IndicatorSpec, star_codes: set[str]) -> None:
    name = f"指标「{i.name}」（{i.code}）"
    if i.star_code not in star_codes:
        raise ValueError(f"{name}所属的星「{i.star_code}」不存在")
    if not isinstance(i.kind, Kind):
        raise ValueError(f"{name}的类型「{i.kind}」未知")
    if i.points < 0:
        raise ValueError(f"{name}的分值不能为负数")
    if i.kind is Kind.NUMBER and i.threshold is None:
        raise ValueError(f"{name}是数值指标，必须设置达标值")
    if i.kind is Kind.CHOICE:
        if not i.choices:
            raise ValueError(f"{name}是选项指标，必须设置选项")
        if dup := _duplicates(c.value for c in i.choices):
            raise ValueError(f"{name}的选项重复：{'、'.join(dup)}")
        if any(c.points < 0 or c.points > i.points for c in i.choices):
            raise ValueError(f"{name}的选项分值应在 0 到 {fmt(i.points)} 之间")
    if i.kind is Kind.SCORE:
        top = i.max_score if i.max_score is not None else i.points
        if not ZERO <= i.min_score <= top:
            raise ValueError(f"{name}的打分范围无效")
    if i.kind is Kind.EVIDENCE and i.evidence_count < 1:
        raise ValueError(f"{name}要求的佐证材料数量至少为 1")


def _codes(raw: Any) -> tuple[str, ...]:
    if not raw:
        return ()
    return (raw,) if isinstance(raw, str) else tuple(str(c) for c in raw)


def _opt_decimal(raw: Any) -> Decimal | None:
    return None if raw is None else Decimal(str(raw))


def to_spec(data: Mapping[str, Any]) -> CriteriaSpec:
    """Build and validate a spec from plain JSON-able data (see example_2023_rural)."""
    try:
        stars = tuple(
            StarSpec(
                code=s["code"],
                name=s["name"],
                order=int(s.get("order", n)),
                min_points=_opt_decimal(s.get("min_points")),
                require_all_required=bool(s.get("require_all_required", True)),
                prerequisites=_codes(s.get("prerequisites")),
            )
            for n, s in enumerate(data["stars"], start=1)
        )
        indicators = tuple(_indicator_from_data(i) for i in data["indicators"])
    except KeyError as exc:
        raise ValueError(f"评定标准缺少字段：{exc.args[0]}") from exc
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"评定标准中的数值格式错误：{exc}") from exc
    spec = CriteriaSpec(stars=stars, indicators=indicators)
    validate_spec(spec)
    return spec


def _indicator_from_data(i: Mapping[str, Any]) -> IndicatorSpec:
    if i["kind"] not in set(Kind):
        raise ValueError(f"指标「{i['code']}」的类型「{i['kind']}」未知")
    if (i.get("comparison") or ">=") not in set(Comparison):
        raise ValueError(f"指标「{i['code']}」的比较方式「{i['comparison']}」未知，应为 >= 或 <=")
    kind = Kind(i["kind"])
    comparison = Comparison(i.get("comparison") or ">=")
    return IndicatorSpec(
        code=i["code"],
        star_code=i.get("star_code") or i["code"].split(".")[0],
        section=i.get("section", ""),
        name=i["name"],
        kind=kind,
        points=Decimal(str(i["points"])),
        required=bool(i.get("required", False)),
        veto=bool(i.get("veto", False)),
        threshold=_opt_decimal(i.get("threshold")),
        comparison=comparison,
        choices=tuple(Choice(str(c["value"]), c["label"], Decimal(str(c["points"]))) for c in i.get("choices") or ()),
        min_score=Decimal(str(i.get("min_score") or 0)),
        max_score=_opt_decimal(i.get("max_score")),
        evidence_count=int(i.get("evidence_count") or 1),
        unit=i.get("unit") or "",
        data_source=i.get("data_source"),
        note=i.get("note", ""),
    )


def validate_indicator(indicator: IndicatorSpec, star_codes: set[str]) -> None:
    """Raise ValueError (in Chinese) when one indicator is inconsistent on its own (used by single edits)."""
    _validate_indicator(indicator, star_codes)


def check_prerequisites(stars: Iterable[StarSpec]) -> None:
    """Raise ValueError (in Chinese) when prerequisites name a missing star, the star itself, or form a cycle."""
    stars = tuple(stars)
    codes = {s.code for s in stars}
    for star in stars:
        for code in star.prerequisites:
            if code not in codes:
                raise ValueError(f"「{star.name}」的前置星「{code}」不存在")
            if code == star.code:
                raise ValueError(f"「{star.name}」不能以自身为前置星")
    _star_order(CriteriaSpec(stars=stars, indicators=()))

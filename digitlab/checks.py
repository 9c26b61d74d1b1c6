"""Checks of one setting's value that raise ConfigError, whose message names the setting and
what it allows (TrainConfig's validation and the device choice use them)."""

from __future__ import annotations

from digitlab.words import Text


class ConfigError(ValueError):
    """A setting is out of range or unknown; the message says which and what is allowed."""


def choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConfigError(
            Text("config.choice", field=name, value=value, allowed=", ".join(allowed))
        )


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def integer(name: str, value: object, lo: int, hi: int) -> None:
    if not is_int(value) or not lo <= value <= hi:
        raise ConfigError(Text("config.integer", field=name, value=value, lo=lo, hi=hi))


def number(
    name: str, value: object, lo: float, hi: float, lo_open: bool = False, hi_open: bool = False
) -> None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    ok = ok and value == value  # NaN fails here
    ok = ok and (value > lo if lo_open else value >= lo)
    ok = ok and (value < hi if hi_open else value <= hi)
    if not ok:
        lo_txt = Text("config.gt" if lo_open else "config.ge", x=lo)
        hi_txt = Text("config.lt" if hi_open else "config.le", x=hi)
        raise ConfigError(
            Text("config.number", field=name, value=value, lo_txt=lo_txt, hi_txt=hi_txt)
        )


def sizes(name: str, value: tuple, allow_empty: bool, top: int) -> None:
    if not value and not allow_empty:
        raise ConfigError(Text("config.sizes_empty", field=name))
    for size in value:
        if not is_int(size) or not 1 <= size <= top:
            raise ConfigError(Text("config.sizes_range", field=name, top=top))

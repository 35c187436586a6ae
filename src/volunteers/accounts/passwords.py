"""Which passwords are too easy to guess: zxcvbn's lists and its estimate of guesses.

zxcvbn (Dropbox's estimator, MIT licence, PyPI `zxcvbn`) ships a list of the 30,000
most common passwords (from leaked sets), plus English words, names and film words,
and estimates how many guesses an attacker who knows those lists needs. We refuse
what is on the password list, what it scores below 3 of 4 ("safely unguessable:
moderate protection from an offline slow-hash attack"), and the published demo
password, which is allowed only in the demo seed.
"""

from __future__ import annotations

from functools import cache

from zxcvbn import zxcvbn  # type: ignore[import-untyped]  # ships no type hints
from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

# Printed in the README for the demo: anyone can log in with it, so no real account may have it.
DEMO_PASSWORD = "pettersberg-demo-2026"  # noqa: S105 - refused, not used
MIN_SCORE = 3
# Words any guesser of a Samverka account tries first.
SITE_WORDS = ("samverka", "pettersberg", "vasteras", "västerås", "volontär", "volontar", "iop", "lösenord")


@cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's list of the most common passwords (30,000 entries)."""
    return frozenset(FREQUENCY_LISTS["passwords"])


def is_demo_password(password: str) -> bool:
    return password.strip().lower() == DEMO_PASSWORD


def too_guessable(password: str, user_inputs: tuple[str, ...] = ()) -> bool:
    """Whether an attacker with the common lists would guess this password soon."""
    lowered = password.lower()
    if lowered in common_passwords() or is_demo_password(password):
        return True
    # zxcvbn's cost grows with the length; past 100 characters nothing is guessable anyway.
    result = zxcvbn(password[:100], user_inputs=[*SITE_WORDS, *user_inputs])
    return int(result["score"]) < MIN_SCORE

"""The skills catalogue in the database: ESCO skills (URI kept) plus the project's own."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from certificates.catalogue import load_catalogue as load_shipped_catalogue
from volunteers.db.engine import create_engine
from volunteers.db.models import KeyCompetence, Skill, SkillSource
from volunteers.settings import Settings

# Languages of the area that ESCO has no language skill for: the project's own skills.
PROJECT_SKILLS: list[tuple[str, str, str, str]] = [
    ("speak_somali", "speak Somali", "Tala somaliska", "multilingual"),
    ("speak_tigrinya", "speak Tigrinya", "Tala tigrinja", "multilingual"),
    ("speak_dari", "speak Dari", "Tala dari", "multilingual"),
    ("speak_pashto", "speak Pashto", "Tala pashto", "multilingual"),
]


async def sync_catalogue(db: AsyncSession) -> int:
    """Insert or update every catalogue row; returns how many skills there are. Idempotent."""
    shipped = load_shipped_catalogue()
    existing_kc = {k.code: k for k in (await db.execute(select(KeyCompetence))).scalars()}
    for kc in shipped.key_competences.values():
        row = existing_kc.get(kc.code)
        if row is None:
            db.add(KeyCompetence(code=kc.code, label_en=kc.label_en, label_sv=kc.label_sv))
        else:
            row.label_en, row.label_sv = kc.label_en, kc.label_sv
    await db.flush()
    existing = {s.code: s for s in (await db.execute(select(Skill))).scalars()}
    wanted: list[dict[str, object]] = [
        {
            "code": s.code,
            "esco_uri": s.esco_uri,
            "label_en": s.label_en,
            "label_sv": s.label_sv_project,
            "key_competence": s.key_competence,
            "source": SkillSource.ESCO,
        }
        for s in shipped.skills.values()
    ]
    wanted += [
        {
            "code": c,
            "esco_uri": None,
            "label_en": en,
            "label_sv": sv,
            "key_competence": kc,
            "source": SkillSource.PROJECT,
        }
        for c, en, sv, kc in PROJECT_SKILLS
    ]
    for values in wanted:
        skill = existing.get(str(values["code"]))
        if skill is None:
            db.add(Skill(**values))
        else:
            for key, value in values.items():
                setattr(skill, key, value)
    await db.flush()
    return len(wanted)


async def load_catalogue(settings: Settings) -> int:
    """Sync the catalogue into the configured database."""
    engine = create_engine(settings)
    try:
        from sqlalchemy.ext.asyncio import async_sessionmaker

        async with async_sessionmaker(engine)() as db:
            count = await sync_catalogue(db)
            await db.commit()
            return count
    finally:
        await engine.dispose()

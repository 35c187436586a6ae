"""Recorded experience: attendance and hours, endorsements, trainings, the experience record."""

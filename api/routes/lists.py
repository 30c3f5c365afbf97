"""Writes to the lists (清单): create, update, delete entries; upload a list file."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["lists"])

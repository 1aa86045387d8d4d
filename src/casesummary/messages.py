"""A chat message: what a prompt renders and a backend sends."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Message(BaseModel):
    """One chat message."""

    model_config = ConfigDict(frozen=True)

    role: str  # "system" | "user" | "assistant"
    content: str

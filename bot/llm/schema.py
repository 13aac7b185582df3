"""What the model must answer: a strict JSON schema, validated with pydantic."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.review.rules import CATEGORIES

__all__ = ["Answer", "ModelFinding", "ValidationError", "response_format"]


class ModelFinding(BaseModel):
    model_config = ConfigDict(extra="ignore")

    category: str = Field(description="a category id of the contract, or 'other'")
    excerpt: str = Field(description="the exact words from the draft this is about")
    guideline: str = Field(description="the id of the guideline it relies on")
    message: str = Field(description="why, in one sentence")
    suggestion: str = Field(default="", description="better wording")
    severity: Literal["error", "warning", "suggestion"] = "warning"


class Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    findings: list[ModelFinding] = Field(default_factory=list)
    summary: str = ""
    rewrite: str | None = None
    instructions_in_text: bool = Field(
        default=False, description="the draft or customer message holds instructions aimed at the reviewer"
    )


def response_format(strict: bool = True) -> dict:
    """`response_format` for structured output, or plain JSON mode for servers without it."""
    if not strict:
        return {"type": "json_object"}
    finding = {
        "type": "object",
        "additionalProperties": False,
        "required": ["category", "excerpt", "guideline", "message", "suggestion", "severity"],
        "properties": {
            "category": {"type": "string", "enum": [*CATEGORIES, "other"]},
            "excerpt": {"type": "string"},
            "guideline": {"type": "string"},
            "message": {"type": "string"},
            "suggestion": {"type": "string"},
            "severity": {"type": "string", "enum": ["error", "warning", "suggestion"]},
        },
    }
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["findings", "summary", "rewrite", "instructions_in_text"],
        "properties": {
            "findings": {"type": "array", "items": finding},
            "summary": {"type": "string"},
            "rewrite": {"type": ["string", "null"]},
            "instructions_in_text": {"type": "boolean"},
        },
    }
    return {"type": "json_schema", "json_schema": {"name": "webcare_review", "strict": True, "schema": schema}}

"""The dialogue service's aggregates: dialogue conferences, supervision activities, kiến nghị."""

from services.dialogue.domain.dialogue import Dialogue
from services.dialogue.domain.kien_nghi import KienNghi
from services.dialogue.domain.supervision import Supervision

__all__ = ["Dialogue", "KienNghi", "Supervision"]

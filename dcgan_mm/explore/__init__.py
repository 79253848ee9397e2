"""The latent-space explorer page (tools/explore.py): pure logic here, the gradio page in :mod:`.app`."""
from .export import save_result
from .state import GROUPS, SIGNS, WALK, Explorer, Result, Selection, parse_seed, to_uint8

__all__ = ['GROUPS', 'SIGNS', 'WALK', 'Explorer', 'Result', 'Selection', 'parse_seed', 'save_result', 'to_uint8']

"""Where a metric keeps what it was fed: pieces tagged with their index in the stream."""
import torch
from torch import Tensor

# (index of the first item in its stream, items): one ingested piece of a stream.
Part = tuple[int, Tensor]
# Storage blocks of at least this size are mmapped by glibc: they never fragment the heap.
BLOCK_BYTES = 64 << 20


class PartList:
    """Keeps each ingested piece as it is (small results, e.g. one score per pair)."""

    def __init__(self) -> None:
        self._parts: list[Part] = []

    def append(self, first_index: int, items: Tensor) -> None:
        self._parts.append((first_index, items))

    def parts(self) -> list[Part]:
        return list(self._parts)


class BlockStore(PartList):
    """Copies consecutive pieces into large preallocated CPU blocks.

    Keeping thousands of batch tensors alive between a generator's temporaries
    fragments the heap, so resident memory grows well beyond the images' own size
    (see docs/benchmarks.md); a few large blocks do not. One 64 MB block
    holds 1,365 float32 or 5,461 uint8 64x64 RGB images.
    """

    def __init__(self, capacity: int | None = None, block_bytes: int = BLOCK_BYTES) -> None:
        super().__init__()
        self.capacity = capacity  # items expected at most: no block is made larger than needed
        self.block_bytes = block_bytes
        self._filled: list[int] = []  # items in each block
        self._stored = 0

    def append(self, first_index: int, items: Tensor) -> None:
        items = items.detach()
        while items.shape[0]:
            if not self._continues(first_index, items):
                per_item = items[0].numel() * items.element_size()
                size = max(1, self.block_bytes // per_item)
                if self.capacity is not None:
                    size = max(items.shape[0], min(size, self.capacity - self._stored))
                self._parts.append((first_index, torch.empty((size, *items.shape[1:]), dtype=items.dtype)))
                self._filled.append(0)
            block, filled = self._parts[-1][1], self._filled[-1]
            taken = min(items.shape[0], block.shape[0] - filled)
            block[filled:filled + taken].copy_(items[:taken])
            self._filled[-1] += taken
            self._stored += taken
            first_index, items = first_index + taken, items[taken:]

    def _continues(self, first_index: int, items: Tensor) -> bool:
        if not self._parts:
            return False
        (start, block), filled = self._parts[-1], self._filled[-1]
        return (start + filled == first_index and filled < block.shape[0] and block.dtype == items.dtype
                and block.shape[1:] == items.shape[1:])

    def parts(self) -> list[Part]:
        return [(start, block[:filled]) for (start, block), filled in zip(self._parts, self._filled)]

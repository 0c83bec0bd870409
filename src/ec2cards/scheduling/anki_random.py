"""The random numbers behind Anki's fuzz: Rust's rand 0.9 `StdRng::seed_from_u64(seed)`, which
expands the seed with PCG32 into a ChaCha12 key. With the same seed (a card number plus its
review count) ec2cards spreads intervals exactly as Anki does, and the seed is known before the
card is shown, so the interval on each rating key is the one that answer saves."""

from __future__ import annotations

MASK32 = 0xFFFFFFFF
MASK64 = 0xFFFFFFFFFFFFFFFF
_CONSTANTS = (0x61707865, 0x3320646E, 0x79622D32, 0x6B206574)  # "expand 32-byte k"


def _rotate(value: int, bits: int) -> int:
    return ((value << bits) & MASK32) | (value >> (32 - bits))


def chacha_block(key: list[int], counter: int, rounds: int = 12) -> list[int]:
    """One 64-byte ChaCha block as sixteen 32-bit words (stream 0)."""
    start = [*_CONSTANTS, *key, counter & MASK32, counter >> 32, 0, 0]
    x = list(start)

    def quarter(a: int, b: int, c: int, d: int) -> None:
        x[a] = (x[a] + x[b]) & MASK32
        x[d] = _rotate(x[d] ^ x[a], 16)
        x[c] = (x[c] + x[d]) & MASK32
        x[b] = _rotate(x[b] ^ x[c], 12)
        x[a] = (x[a] + x[b]) & MASK32
        x[d] = _rotate(x[d] ^ x[a], 8)
        x[c] = (x[c] + x[d]) & MASK32
        x[b] = _rotate(x[b] ^ x[c], 7)

    for _ in range(rounds // 2):
        quarter(0, 4, 8, 12)
        quarter(1, 5, 9, 13)
        quarter(2, 6, 10, 14)
        quarter(3, 7, 11, 15)
        quarter(0, 5, 10, 15)
        quarter(1, 6, 11, 12)
        quarter(2, 7, 8, 13)
        quarter(3, 4, 9, 14)
    return [(a + b) & MASK32 for a, b in zip(x, start, strict=True)]


def _key(seed: int) -> list[int]:
    """rand's seed_from_u64: eight PCG32 outputs make the 256-bit key."""
    state = seed & MASK64
    words = []
    for _ in range(8):
        state = (state * 6364136223846793005 + 11634580027462260723) & MASK64
        shifted = (((state >> 18) ^ state) >> 27) & MASK32
        rotation = state >> 59
        words.append(((shifted >> rotation) | (shifted << ((32 - rotation) & 31))) & MASK32)
    return words


class AnkiRandom:
    """The 32-bit outputs of StdRng seeded with `seed`, in order."""

    def __init__(self, seed: int) -> None:
        self._key = _key(seed)
        self._counter = 0
        self._words: list[int] = []

    def next_u32(self) -> int:
        if not self._words:
            self._words = chacha_block(self._key, self._counter)
            self._counter += 1
        return self._words.pop(0)

    def unit(self) -> float:
        """A float in [0, 1) as rand makes an f32: the top 23 bits of one output."""
        return (self.next_u32() >> 9) / float(1 << 23)

    def below(self, low: int, high: int) -> int:
        """An integer in [low, high) by Canon's method, as rand 0.9 draws a u32 range."""
        span = (high - low) & MASK32
        product = self.next_u32() * span
        result, fraction = product >> 32, product & MASK32
        if fraction > ((-span) & MASK32):
            carry = (self.next_u32() * span) >> 32
            if fraction + carry > MASK32:
                result += 1
        return low + result

"""The random numbers behind Anki's fuzz: Rust's rand 0.9 `StdRng::seed_from_u64(seed)`, which
expands the seed with PCG32 into a ChaCha12 key. With the same seed (a card number plus its
review count) ec2cards spreads intervals exactly as Anki does, and the seed is known before the
card is shown, so the interval on each rating key is the one that answer saves."""

from __future__ import annotations

MASK32 = 0xFFFFFFFF
MASK64 = 0xFFFFFFFFFFFFFFFF
_CONSTANTS = (0x61707865, 0x3320646E, 0x79622D32, 0x6B206574)  # "expand 32-byte k"


def chacha_block(key: list[int], counter: int, rounds: int = 12) -> list[int]:
    """One 64-byte ChaCha block as sixteen 32-bit words (stream 0). Written out with local
    variables: a replay of a long log draws one block per answer."""
    m = MASK32
    s0, s1, s2, s3 = _CONSTANTS
    s4, s5, s6, s7, s8, s9, s10, s11 = key
    s12, s13, s14, s15 = counter & m, counter >> 32, 0, 0
    x0, x1, x2, x3, x4, x5, x6, x7 = s0, s1, s2, s3, s4, s5, s6, s7
    x8, x9, x10, x11, x12, x13, x14, x15 = s8, s9, s10, s11, s12, s13, s14, s15

    def quarter(a: int, b: int, c: int, d: int) -> tuple[int, int, int, int]:
        a = (a + b) & m
        d ^= a
        d = ((d << 16) & m) | (d >> 16)
        c = (c + d) & m
        b ^= c
        b = ((b << 12) & m) | (b >> 20)
        a = (a + b) & m
        d ^= a
        d = ((d << 8) & m) | (d >> 24)
        c = (c + d) & m
        b ^= c
        b = ((b << 7) & m) | (b >> 25)
        return a, b, c, d

    for _ in range(rounds // 2):
        x0, x4, x8, x12 = quarter(x0, x4, x8, x12)
        x1, x5, x9, x13 = quarter(x1, x5, x9, x13)
        x2, x6, x10, x14 = quarter(x2, x6, x10, x14)
        x3, x7, x11, x15 = quarter(x3, x7, x11, x15)
        x0, x5, x10, x15 = quarter(x0, x5, x10, x15)
        x1, x6, x11, x12 = quarter(x1, x6, x11, x12)
        x2, x7, x8, x13 = quarter(x2, x7, x8, x13)
        x3, x4, x9, x14 = quarter(x3, x4, x9, x14)
    mixed = (x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15)
    start = (s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15)
    return [(a + b) & m for a, b in zip(mixed, start, strict=True)]


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
        self._blocks: list[list[int]] = []
        self._position = 0  # outputs taken so far

    def next_u32(self) -> int:
        block, word = divmod(self._position, 16)
        while len(self._blocks) <= block:
            self._blocks.append(chacha_block(self._key, len(self._blocks)))
        self._position += 1
        return self._blocks[block][word]

    def rewind(self) -> AnkiRandom:
        """Back to the first output, as a new generator of the same seed (without drawing
        the block again): Anki draws the fuzz and a learning step's spread from the same seed."""
        self._position = 0
        return self

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

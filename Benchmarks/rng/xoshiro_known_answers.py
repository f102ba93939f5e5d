"""Known answers for dxmap's xoshiro256** (Sources/CGSL/shim.h) from an independent implementation: PyPI's
randomgen (Xoshiro256 is xoshiro256**). Prints the outputs the Swift test checks
(Tests/DXSamplingTests/GeneratorTests.swift): outputs 1-4 and 1,000 from two states set word by word.

    python3 -m venv /tmp/rg && /tmp/rg/bin/pip install randomgen && /tmp/rg/bin/python Benchmarks/rng/xoshiro_known_answers.py
"""
import numpy as np
import randomgen

STATES = [
    [1, 2, 3, 4],
    [0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0x0123456789ABCDEF],
]

for words in STATES:
    bg = randomgen.Xoshiro256(0)
    state = bg.state
    state["s"] = np.array(words, dtype=np.uint64)
    state["has_uint32"], state["uinteger"] = 0, 0
    bg.state = state
    raw = bg.random_raw(1000)
    print("state", " ".join(f"0x{w:016x}" for w in words))
    print("  first four", " ".join(f"0x{int(x):016x}" for x in raw[:4]))
    print("  1000th    ", f"0x{int(raw[999]):016x}")
print("randomgen", randomgen.__version__)

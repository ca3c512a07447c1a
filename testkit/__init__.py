"""What the tests and the benchmarks share: throwaway databases, the fault harness and its
proofs, the read models compared, the test tokens and records."""

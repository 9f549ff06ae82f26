/** A translation engine's circuit breaker: closed passes calls, open refuses them, half-open tries one. */
export type CircuitState = "closed" | "half_open" | "open";

package io.respool.agent.http;

/**
 * A health verdict for a probe endpoint.
 *
 * @param ok      whether the probe should succeed
 * @param message why, for people reading the probe's body
 */
public record Health(boolean ok, String message) {
}

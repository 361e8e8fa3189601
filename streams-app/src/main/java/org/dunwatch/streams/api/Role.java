package org.dunwatch.streams.api;

/** Who an API token belongs to, and so what it may read. */
public enum Role {
  /** A telecom fraud team: the blocklist, incidents and what is known of a number. */
  TELECOM,
  /** A regulator: everything. */
  REGULATOR,
  /** A lender's risk team: its own and its agencies' incidents and scorecards only. */
  LENDER
}

package org.dunwatch.producers.sim;

import java.time.ZoneId;
import org.dunwatch.avro.common.Party;

/**
 * A subscriber of the simulated network.
 *
 * <p>{@code contacts} and {@code cumulativeWeights} describe the circle: {@code weights[i]} is the
 * tie strength to {@code contacts[i]}, the same in both directions, so calls are reciprocal.
 */
final class Person {
  final int index;
  final Party party;
  final String jurisdiction;
  final ZoneId zone;
  final String carrier;
  final double callsPerDay;
  final double smsPerDay;
  ActorRole role;
  int[] contacts = new int[0];
  double[] cumulativeWeights = new double[0];

  Person(
      int index,
      Party party,
      String jurisdiction,
      String carrier,
      double callsPerDay,
      double smsPerDay) {
    this.index = index;
    this.party = party;
    this.jurisdiction = jurisdiction;
    this.zone = ZoneId.of(party.getTimeZone());
    this.carrier = carrier;
    this.callsPerDay = callsPerDay;
    this.smsPerDay = smsPerDay;
  }

  String number() {
    return party.getId();
  }

  /** A contact drawn by tie strength. */
  int pickContact(Rng rng) {
    double total = cumulativeWeights[cumulativeWeights.length - 1];
    double x = rng.unit() * total;
    int i = java.util.Arrays.binarySearch(cumulativeWeights, x);
    return contacts[i >= 0 ? i : -i - 1];
  }
}

package org.dunwatch.producers.sim;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.producers.numbers.NumberNormalizer;

/**
 * Subscribers with their numbers and social graph, the ordinary heavy users among them, the
 * outbound call centre, and the banks and platforms that send codes.
 */
final class Population {

  /** CN mobile prefixes of the three operators (MIIT numbering plan). */
  private static final String[] CN_MOBILE = {
    "134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182",
        "183",
    "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "181",
        "189",
    "177", "199"
  };

  /** Virtual-operator ranges, which collectors and bombing services favour. */
  private static final String[] CN_VIRTUAL = {"170", "171", "165", "167", "162"};

  /** US area codes in four time zones. */
  private static final String[] US_AREA = {
    "212", "646", "617", "305", "404", "312", "713", "214", "303", "602", "415", "213", "206"
  };

  record Outbound(Party party, String jurisdiction, String carrier) {}

  record Platform(Party sender, String brand, String jurisdiction, double weight) {}

  final NumberNormalizer numbers = new NumberNormalizer();
  final List<Person> people = new ArrayList<>();
  final List<Outbound> callCentre = new ArrayList<>();
  final List<Platform> cnPlatforms = new ArrayList<>();
  final List<Platform> usPlatforms = new ArrayList<>();
  private final Map<ActorRole, List<Person>> roles = new EnumMap<>(ActorRole.class);
  private final List<Person> cn = new ArrayList<>();
  private final List<Person> us = new ArrayList<>();
  private final Set<String> taken = new HashSet<>();

  Population(SimConfig config) {
    Rng rng = new Rng(config.seed(), 1);
    for (int i = 0; i < config.subscribers(); i++) {
      boolean isUs = rng.chance(config.usShare());
      Party party = isUs ? usMobile(rng) : cnMobile(rng, CN_MOBILE);
      String carrier = isUs ? rng.pick(new String[] {"ATT", "TMO", "VZW"}) : cnCarrier(party);
      Person p =
          new Person(
              i,
              party,
              isUs ? "US" : "CN",
              carrier,
              Math.min(30, rng.logNormal(2.5, 0.7)),
              Math.min(10, rng.logNormal(0.4, 0.8)));
      people.add(p);
      (isUs ? us : cn).add(p);
    }
    if (cn.isEmpty()) {
      throw new IllegalArgumentException("the world needs CN subscribers; lower --us-share");
    }
    buildGraph(rng);
    assignRoles(rng, config.subscribers());
    platforms(rng);
  }

  /**
   * Circles: sizes are log-normal (median 18, a few hundred at most), mostly within one's own
   * country; tie strengths are Pareto (shape 1.2), symmetric, so a few contacts get most calls.
   */
  private void buildGraph(Rng rng) {
    int n = people.size();
    List<List<Integer>> adj = new ArrayList<>();
    List<List<Double>> w = new ArrayList<>();
    List<Set<Integer>> seen = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      adj.add(new ArrayList<>());
      w.add(new ArrayList<>());
      seen.add(new HashSet<>());
    }
    for (Person p : people) {
      int target = (int) Math.max(3, Math.min(Math.min(300, n - 1), rng.logNormal(18, 0.8)));
      int guard = 0;
      while (adj.get(p.index).size() < target && guard++ < target * 20) {
        List<Person> pool = rng.chance(0.95) ? own(p.jurisdiction) : people;
        Person q = rng.pick(pool);
        if (q.index == p.index || !seen.get(p.index).add(q.index)) {
          continue;
        }
        seen.get(q.index).add(p.index);
        double weight = rng.pareto(1.2);
        adj.get(p.index).add(q.index);
        w.get(p.index).add(weight);
        adj.get(q.index).add(p.index);
        w.get(q.index).add(weight);
      }
    }
    for (Person p : people) {
      List<Integer> a = adj.get(p.index);
      p.contacts = a.stream().mapToInt(Integer::intValue).toArray();
      p.cumulativeWeights = new double[a.size()];
      double sum = 0;
      for (int k = 0; k < a.size(); k++) {
        sum += w.get(p.index).get(k);
        p.cumulativeWeights[k] = sum;
      }
    }
  }

  private void assignRoles(Rng rng, int n) {
    assign(rng, ActorRole.COURIER, Math.max(1, n / 150));
    assign(rng, ActorRole.SHOP, Math.max(1, n / 300));
    assign(rng, ActorRole.CLINIC, Math.max(1, n / 300));
    for (int i = 0; i < 3; i++) {
      // an outbound telemarketing centre on Shanghai landlines (+86 21 ...)
      Party line = number(rng, () -> "+8621" + rng.between(5, 6) + rng.digits(7));
      callCentre.add(new Outbound(line, "CN", "CTCC"));
    }
  }

  private void assign(Rng rng, ActorRole role, int count) {
    List<Person> list = roles.computeIfAbsent(role, r -> new ArrayList<>());
    int guard = 0;
    while (list.size() < count && guard++ < 1000) {
      Person p = rng.pick(people);
      if (p.role == null) {
        p.role = role;
        list.add(p);
      }
    }
  }

  private void platforms(Rng rng) {
    String[] cnBrands = Texts.CN_BRANDS;
    for (int i = 0; i < cnBrands.length; i++) {
      // 1069 + 8 digits: the long codes Chinese platforms send verification codes from
      Party sender =
          senderId("1069" + String.format("%08d", 10_000_000 + i * 7_919_011 % 89_999_999));
      cnPlatforms.add(new Platform(sender, cnBrands[i], "CN", 1.0 / (i + 1)));
    }
    String[] usBrands = Texts.US_BRANDS;
    for (int i = 0; i < usBrands.length; i++) {
      Party sender = senderId(Integer.toString(200_000 + i * 73_313 % 700_000));
      usPlatforms.add(new Platform(sender, usBrands[i], "US", 1.0 / (i + 1)));
    }
  }

  List<Platform> platforms(String jurisdiction) {
    return jurisdiction.equals("US") ? usPlatforms : cnPlatforms;
  }

  /** Zipf-like: the biggest platforms send most codes. */
  Platform pickPlatform(Rng rng, List<Platform> list) {
    double total = 0;
    for (Platform p : list) {
      total += p.weight();
    }
    double x = rng.unit() * total;
    for (Platform p : list) {
      x -= p.weight();
      if (x < 0) {
        return p;
      }
    }
    return list.get(list.size() - 1);
  }

  List<Person> byRole(ActorRole role) {
    return roles.getOrDefault(role, List.of());
  }

  List<Person> own(String jurisdiction) {
    return jurisdiction.equals("US") && !us.isEmpty() ? us : cn;
  }

  boolean hasUs() {
    return !us.isEmpty();
  }

  Person randomPerson(Rng rng, String jurisdiction, Person not) {
    List<Person> pool = own(jurisdiction);
    for (int i = 0; i < 10; i++) {
      Person p = rng.pick(pool);
      if (p != not) {
        return p;
      }
    }
    return rng.pick(people);
  }

  Party cnMobile(Rng rng, String[] prefixes) {
    return number(rng, () -> "+86" + rng.pick(prefixes) + rng.digits(8));
  }

  Party cnVirtual(Rng rng) {
    return cnMobile(rng, CN_VIRTUAL);
  }

  Party usMobile(Rng rng) {
    return number(
        rng, () -> "+1" + rng.pick(US_AREA) + rng.between(2, 9) + rng.digits(2) + rng.digits(4));
  }

  /**
   * A fresh number no one else has, as the normaliser would give it (region and time zone from
   * libphonenumber). Drafts libphonenumber finds invalid are drawn again.
   */
  Party number(Rng rng, java.util.function.Supplier<String> draft) {
    for (int i = 0; i < 200; i++) {
      String raw = draft.get();
      if (raw.contains("555") && raw.startsWith("+1")) {
        continue;
      }
      NumberNormalizer.Normalized n = numbers.normalize(raw, null);
      if (n.kind() == PartyKind.E164 && n.timeZone() != null && taken.add(n.id())) {
        return n.toParty();
      }
    }
    throw new IllegalStateException("no valid number drawn after 200 tries");
  }

  Party senderId(String id) {
    NumberNormalizer.Normalized n = numbers.normalize(id, null);
    if (n.kind() != PartyKind.SENDER_ID) {
      throw new IllegalStateException("sender id reads as a phone number: " + id);
    }
    return n.toParty();
  }

  static String cnCarrier(Party p) {
    String prefix = p.getId().substring(3, 6);
    return switch (prefix) {
      case "130", "131", "132", "155", "156", "185", "186", "166", "175", "176" -> "CUCC";
      case "133", "153", "180", "181", "189", "177", "199", "173" -> "CTCC";
      default -> "CMCC";
    };
  }
}

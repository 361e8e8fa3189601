package org.dunwatch.streams.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.feed.BlocklistEntry;
import org.dunwatch.streams.feeds.BlocklistFeed;
import org.dunwatch.streams.feeds.ByLender;
import org.dunwatch.streams.feeds.IncidentLog;
import org.dunwatch.streams.feeds.ScorecardFeed;
import org.dunwatch.streams.feeds.ScorecardRule;
import org.dunwatch.streams.http.HttpRoutes;
import org.dunwatch.streams.lender.LenderReference;
import org.dunwatch.streams.policy.PolicyRule;
import org.dunwatch.streams.rules.Rules;
import org.dunwatch.streams.state.BlocklistState;
import org.dunwatch.streams.state.CollectorRegs;
import org.dunwatch.streams.state.IncidentHistory;
import org.dunwatch.streams.state.LoanState;
import org.dunwatch.streams.state.NumberLoans;
import org.dunwatch.streams.state.ScoreState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API over the app's state, {@code /api/v1}: incidents, the blocklist, scorecards and
 * what is known of a number, as JSON, for bearer tokens of three roles ({@link Role}). Every
 * instance answers every request, reading a key from the instance that holds it and lists from all
 * ({@link StoreClient}); the OpenAPI document is at {@code /api/v1/openapi.json}.
 */
public final class ApiRoutes implements HttpRoutes {

  public static final String BASE = "/api/v1";

  static final int DEFAULT_PAGE_SIZE = 100;
  static final int MAX_PAGE_SIZE = 500;

  private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Numbers as they are in Kafka: E.164, a pseudonym or a sender id (short code, name). */
  private static final Pattern NUMBER =
      Pattern.compile("\\+[1-9][0-9]{4,14}|pn_[A-Za-z0-9_-]{4,100}|[A-Za-z0-9]{2,20}");

  private static final Pattern LENDER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern ALERT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final ApiTokens tokens;
  private final StoreClient stores;
  private final Map<String, String> legalTexts;
  private final int worstIncidents;
  private final String openApi;

  public ApiRoutes(InstanceStores stores, ApiTokens tokens, Rules rules) {
    this.tokens = tokens;
    Map<String, Class<? extends SpecificRecord>> types = new HashMap<>();
    types.put(IncidentLog.STORE, IncidentHistory.class);
    types.put(BlocklistFeed.ENTRY_STORE, BlocklistEntry.class);
    types.put(BlocklistFeed.STATE_STORE, BlocklistState.class);
    types.put(ScorecardFeed.STORE, ScoreState.class);
    types.put(LenderReference.NUMBER_STORE, NumberLoans.class);
    types.put(LenderReference.COLLECTOR_STORE, CollectorRegs.class);
    this.stores = new StoreClient(stores, Map.copyOf(types), tokens.internalToken());
    this.legalTexts = legalTexts(rules);
    this.worstIncidents = ScorecardRule.from(rules).worstIncidents();
    this.openApi = resource("/api/openapi.json");
  }

  @Override
  public void addTo(Javalin app) {
    app.get(BASE + "/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    app.get(BASE + "/incidents", ctx -> answer(ctx, p -> incidents(ctx, p)));
    app.get(BASE + "/incidents/{alert_id}", ctx -> answer(ctx, p -> incident(ctx, p)));
    app.get(BASE + "/blocklist", ctx -> answer(ctx, p -> blocklist(ctx, p)));
    app.get(BASE + "/scorecards", ctx -> answer(ctx, this::scorecards));
    app.get(BASE + "/scorecards/{lender_id}", ctx -> answer(ctx, p -> scorecard(ctx, p)));
    app.get(BASE + "/numbers/{id}", ctx -> answer(ctx, p -> number(ctx, p)));
    app.get(StoreClient.INTERNAL + "{store}", this::internal);
  }

  // ---- endpoints

  private Object incidents(Context ctx, Principal p) {
    String victim = plusOf(ctx.queryParam("victim"));
    String lender = ctx.queryParam("lender");
    if (victim == null && lender == null) {
      throw ApiError.badRequest("give ?victim=NUMBER or ?lender=LENDER_ID");
    }
    if (victim != null) {
      checkNumber(victim);
    }
    if (lender != null) {
      checkLender(lender);
      if (!p.mayRead(lender)) {
        throw ApiError.forbidden("a lender token reads only its own lender's incidents");
      }
    }
    int limit = intParam(ctx, "limit", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    List<IncidentHistory> found = new ArrayList<>();
    for (KeyValue<String, IncidentHistory> e : stores.<IncidentHistory>all(IncidentLog.STORE)) {
      IncidentHistory h = e.value;
      if ((victim == null || victim.equals(h.getVictim()))
          && (lender == null || names(h, lender))
          && (p.role() != Role.LENDER || names(h, p.lenderId()))) {
        found.add(h);
      }
    }
    found.sort(
        Comparator.comparingLong(IncidentHistory::getLastTime)
            .reversed()
            .thenComparing(IncidentHistory::getAlertId));
    List<Object> out = new ArrayList<>();
    for (IncidentHistory h : found.subList(0, Math.min(limit, found.size()))) {
      List<Alert> revisions = IncidentLog.revisions(h);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("alert_id", h.getAlertId());
      m.put("revisions", revisions.size());
      m.put("latest", AvroJson.alert(revisions.get(revisions.size() - 1)));
      out.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("incidents", out);
    body.put("total", found.size());
    return body;
  }

  private Object incident(Context ctx, Principal p) {
    String id = ctx.pathParam("alert_id");
    if (!ALERT_ID.matcher(id).matches()) {
      throw ApiError.badRequest("malformed alert id");
    }
    IncidentHistory h =
        stores
            .<IncidentHistory>get(IncidentLog.STORE, id, null)
            .orElseThrow(() -> ApiError.notFound("no incident " + id));
    if (p.role() == Role.LENDER && !names(h, p.lenderId())) {
      throw ApiError.forbidden("this incident is not about your lender");
    }
    List<Alert> revisions = IncidentLog.revisions(h);
    Alert latest = revisions.get(revisions.size() - 1);
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("rule_id", latest.getRuleId());
    rule.put("rule_version", latest.getRuleVersion());
    rule.put("jurisdiction", latest.getJurisdiction());
    rule.put(
        "legal_text",
        legalTexts.getOrDefault(
            latest.getRuleId(),
            "no legal threshold: a carrier-practice rule of the rule pack (telecom-side behaviour)"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("alert_id", id);
    body.put("type", h.getType());
    body.put("rule", rule);
    body.put("evidence", AvroJson.alert(latest).get("evidence"));
    body.put("latest", AvroJson.alert(latest));
    body.put("revisions", revisions.stream().map(AvroJson::alert).toList());
    return body;
  }

  private Object blocklist(Context ctx, Principal p) {
    if (p.role() == Role.LENDER) {
      throw ApiError.forbidden("the blocklist is for telecoms and regulators");
    }
    int page = intParam(ctx, "page", 0, Integer.MAX_VALUE);
    int size = intParam(ctx, "size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    List<BlocklistEntry> all =
        stores.<BlocklistEntry>all(BlocklistFeed.ENTRY_STORE).stream()
            .map(e -> e.value)
            .sorted(Comparator.comparing(BlocklistEntry::getNumber))
            .toList();
    long from = Math.min((long) page * size, all.size());
    List<Object> entries =
        all.subList((int) from, (int) Math.min(from + size, all.size())).stream()
            .map(e -> (Object) AvroJson.of(e))
            .toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("entries", entries);
    body.put("page", page);
    body.put("size", size);
    body.put("total", all.size());
    return body;
  }

  private Object scorecards(Principal p) {
    if (p.role() == Role.TELECOM) {
      throw ApiError.forbidden("scorecards are for regulators and lenders");
    }
    TreeSet<String> owners = new TreeSet<>();
    for (KeyValue<String, ScoreState> e : stores.<ScoreState>all(ScorecardFeed.STORE)) {
      String owner = e.key.substring(0, e.key.indexOf('@'));
      if (p.mayRead(ByLender.lenderOf(owner))) {
        owners.add(owner);
      }
    }
    return Map.of("lenders", List.copyOf(owners));
  }

  private Object scorecard(Context ctx, Principal p) {
    String lender = ctx.pathParam("lender_id");
    checkLender(lender);
    if (p.role() == Role.TELECOM) {
      throw ApiError.forbidden("scorecards are for regulators and lenders");
    }
    if (!p.mayRead(lender)) {
      throw ApiError.forbidden("a lender token reads only its own scorecard");
    }
    List<Map<String, Object>> days = new ArrayList<>();
    List<Map<String, Object>> weeks = new ArrayList<>();
    for (KeyValue<String, ScoreState> e :
        stores.<ScoreState>rangeAt(
            ScorecardFeed.STORE, lender, new ByLender<>(), lender + "/", lender + "@\uffff")) {
      if (!ByLender.lenderOf(e.key).equals(lender)) {
        continue;
      }
      Map<String, Object> card = AvroJson.of(ScorecardFeed.toScorecard(e.value, worstIncidents));
      (e.value.getPeriod().contains("W") ? weeks : days).add(card);
    }
    if (days.isEmpty() && weeks.isEmpty()) {
      throw ApiError.notFound("no scorecard for lender " + lender);
    }
    Comparator<Map<String, Object>> order =
        Comparator.comparing((Map<String, Object> m) -> String.valueOf(m.get("period")))
            .thenComparing(m -> String.valueOf(m.get("agency_id")));
    days.sort(order);
    weeks.sort(order);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("lender_id", lender);
    body.put("days", days);
    body.put("weeks", weeks);
    return body;
  }

  private Object number(Context ctx, Principal p) {
    String id = ctx.pathParam("id");
    checkNumber(id);
    if (p.role() == Role.LENDER) {
      throw ApiError.forbidden("what is known of a number is for telecoms and regulators");
    }
    List<Object> loans = new ArrayList<>();
    stores
        .<NumberLoans>get(LenderReference.NUMBER_STORE, id, null)
        .ifPresent(n -> n.getLoans().forEach(l -> loans.add(loan(l))));
    List<Object> registrations = new ArrayList<>();
    stores
        .<CollectorRegs>get(LenderReference.COLLECTOR_STORE, id, null)
        .ifPresent(r -> r.getRegs().forEach(x -> registrations.add(AvroJson.of(x))));
    Optional<BlocklistEntry> listed = stores.get(BlocklistFeed.ENTRY_STORE, id, null);
    List<Object> open = new ArrayList<>();
    stores
        .<BlocklistState>get(BlocklistFeed.STATE_STORE, id, null)
        .ifPresent(s -> s.getIncidents().forEach(i -> open.add(AvroJson.of(i))));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("number", id);
    body.put("loans", loans);
    body.put("registrations", registrations);
    body.put("blocklist", listed.map(AvroJson::of).orElse(null));
    body.put("open_incidents", open);
    return body;
  }

  private static Map<String, Object> loan(LoanState l) {
    return AvroJson.of(l);
  }

  /** Raw store values for another instance; only with the instances' own token. */
  private void internal(Context ctx) {
    if (!tokens.isInternal(ctx.header("Authorization"))) {
      error(ctx, 401, "unknown or missing token");
      return;
    }
    try {
      write(
          ctx,
          200,
          stores.answerInternal(
              ctx.pathParam("store"),
              ctx.queryParam("key"),
              ctx.queryParam("from"),
              ctx.queryParam("to")));
    } catch (ApiError e) {
      error(ctx, e.status(), e.getMessage());
    } catch (InvalidStateStoreException e) {
      error(ctx, 503, "the app's state is not queryable right now; try again");
    }
  }

  // ---- plumbing

  private void answer(Context ctx, Function<Principal, Object> handler) {
    Optional<Principal> principal = tokens.authenticate(ctx.header("Authorization"));
    if (principal.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer");
      error(ctx, 401, "unknown or missing token: send Authorization: Bearer <token>");
      return;
    }
    try {
      write(ctx, 200, handler.apply(principal.get()));
    } catch (ApiError e) {
      error(ctx, e.status(), e.getMessage());
    } catch (InvalidStateStoreException e) {
      error(ctx, 503, "the app's state is not queryable right now (rebalancing); try again");
    } catch (RuntimeException e) {
      // never the stack trace to the caller; the path carries no secret, the header is not logged
      LOG.warn("API request {} failed: {}", ctx.path(), e.toString());
      error(ctx, 500, "internal error");
    }
  }

  private static void error(Context ctx, int status, String message) {
    write(ctx, status, Map.of("error", message, "status", status));
  }

  private static void write(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      ctx.status(500).contentType("application/json").result("{\"error\":\"internal error\"}");
    }
  }

  private static boolean names(IncidentHistory h, String lender) {
    return lender.equals(h.getLenderId())
        || ("LENDER".equals(h.getSubjectKind()) && lender.equals(h.getSubjectId()));
  }

  /**
   * A query string's {@code +} is a space, so {@code ?victim=+86…} arrives as {@code " 86…"}: an
   * E.164 number cannot begin with a space, so it is read as the {@code +} that was meant.
   */
  private static String plusOf(String n) {
    return n != null && n.startsWith(" ") ? "+" + n.substring(1) : n;
  }

  private static void checkNumber(String n) {
    if (!NUMBER.matcher(n).matches()) {
      throw ApiError.badRequest(
          "malformed number: E.164 (+8618812345678), a pn_ pseudonym or a sender id");
    }
  }

  private static void checkLender(String id) {
    if (!LENDER_ID.matcher(id).matches()) {
      throw ApiError.badRequest("malformed lender id");
    }
  }

  private static int intParam(Context ctx, String name, int def, int max) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return def;
    }
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be a whole number");
    }
    if (n < 0 || (n == 0 && !name.equals("page"))) {
      throw ApiError.badRequest(name + " must be positive");
    }
    if (n > max) {
      throw ApiError.badRequest(name + " must be at most " + max);
    }
    return n;
  }

  /** Rule id to the law it rests on, from the policy packs. */
  private static Map<String, String> legalTexts(Rules rules) {
    Map<String, String> out = new HashMap<>();
    for (PolicyRule.Pack pack : PolicyRule.from(rules).packs().values()) {
      for (PolicyRule.Spec spec : pack.rules().values()) {
        if (spec.source() != null && !spec.source().isEmpty()) {
          out.put(spec.id(), spec.source());
        }
      }
    }
    return Map.copyOf(out);
  }

  private static String resource(String name) {
    try (InputStream in = ApiRoutes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name, e);
    }
  }
}

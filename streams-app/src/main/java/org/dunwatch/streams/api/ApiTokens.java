package org.dunwatch.streams.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API's bearer tokens, from a JSON file: {@code [{"token": "…", "role": "TELECOM"}, {"token":
 * "…", "role": "LENDER", "lender_id": "lnd-cn-02"}, …]}.
 *
 * <p>Tokens are kept only as SHA-256 digests and compared with {@link MessageDigest#isEqual}
 * against every entry, so the time an answer takes says nothing about how much of a token was
 * right. No message of this class ever contains a token.
 */
public final class ApiTokens {

  /** Shortest token accepted: 128 bits as hex. */
  static final int MIN_LENGTH = 32;

  private record Entry(byte[] digest, Principal principal) {}

  private final List<Entry> entries;
  private final String internalToken;

  private ApiTokens(List<Entry> entries, String internalToken) {
    this.entries = entries;
    this.internalToken = internalToken;
  }

  /** Reads a tokens file; a bad one is an {@link IllegalArgumentException} saying what is wrong. */
  public static ApiTokens load(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read API tokens file " + file + ": " + e.getMessage());
    }
  }

  public static ApiTokens parse(String json, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("API tokens file " + source + " is not valid JSON");
    }
    if (root == null || !root.isArray() || root.isEmpty()) {
      throw new IllegalArgumentException(
          "API tokens file "
              + source
              + " must be a non-empty JSON array of {token, role, lender_id}");
    }
    List<Entry> entries = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    MessageDigest all = sha256();
    int i = 0;
    for (Iterator<JsonNode> it = root.elements(); it.hasNext(); i++) {
      JsonNode e = it.next();
      String at = "API tokens file " + source + ", entry " + (i + 1) + ": ";
      String token = e.path("token").asText("");
      if (token.length() < MIN_LENGTH || !token.chars().allMatch(c -> c > 32 && c < 127)) {
        throw new IllegalArgumentException(
            at + "token must be at least " + MIN_LENGTH + " printable characters without spaces");
      }
      String hex = HexFormat.of().formatHex(sha256().digest(bytes(token)));
      if (!seen.add(hex)) {
        throw new IllegalArgumentException(at + "the same token is listed twice");
      }
      Role role;
      try {
        role = Role.valueOf(e.path("role").asText(""));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(at + "role must be TELECOM, REGULATOR or LENDER");
      }
      String lender = e.hasNonNull("lender_id") ? e.get("lender_id").asText() : null;
      if (role == Role.LENDER && (lender == null || lender.isBlank())) {
        throw new IllegalArgumentException(at + "a LENDER token needs its lender_id");
      }
      if (role != Role.LENDER && lender != null) {
        throw new IllegalArgumentException(at + "only a LENDER token has a lender_id");
      }
      entries.add(new Entry(sha256().digest(bytes(token)), new Principal(role, lender)));
      all.update(bytes(token));
      all.update((byte) 0);
    }
    // instances that share the file share this, and only they: it lets one instance ask another
    // for a key it holds without any caller's token being able to reach the raw stores
    String internal =
        "internal-" + HexFormat.of().formatHex(all.digest(bytes("dunwatch-instances")));
    return new ApiTokens(List.copyOf(entries), internal);
  }

  /** The holder of {@code Authorization: Bearer <token>}, if it is a known token. */
  public Optional<Principal> authenticate(String authorization) {
    String token = bearer(authorization);
    if (token == null) {
      return Optional.empty();
    }
    byte[] digest = sha256().digest(bytes(token));
    Principal found = null;
    for (Entry e : entries) {
      // every entry is compared, found or not
      if (MessageDigest.isEqual(e.digest(), digest)) {
        found = e.principal();
      }
    }
    return Optional.ofNullable(found);
  }

  /** Whether {@code authorization} carries the instances' own token. */
  boolean isInternal(String authorization) {
    String token = bearer(authorization);
    return token != null
        && MessageDigest.isEqual(
            sha256().digest(bytes(token)), sha256().digest(bytes(internalToken)));
  }

  String internalToken() {
    return internalToken;
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "ApiTokens[" + entries.size() + " tokens]";
  }
}

package org.dunwatch.streams.api;

/** The holder of a token: a role, and for {@link Role#LENDER} its lender id. */
public record Principal(Role role, String lenderId) {

  /** A lender may read what names it as lender, or an agency of it, or as subject. */
  boolean mayRead(String lender) {
    return role != Role.LENDER || lenderId.equals(lender);
  }
}

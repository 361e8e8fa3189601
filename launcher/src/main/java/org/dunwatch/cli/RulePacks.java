package org.dunwatch.cli;

import java.nio.file.Path;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;

/** {@code --rules FILE}: the built-in pack when none is given; a bad pack is the user's error. */
final class RulePacks {

  private RulePacks() {}

  static Rules load(Path file) {
    try {
      return file == null ? Rules.defaults() : Rules.load(file);
    } catch (RuleException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}

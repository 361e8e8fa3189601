package org.dunwatch.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.producers.numbers.NumberNormalizer;
import org.dunwatch.producers.privacy.Pseudonymizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints the pseudonym of each number, for whoever holds the key: to look up a victim or a caller
 * in the alerts, or to check two producers use the same key.
 */
@Command(
    name = "pseudonymize",
    mixinStandardHelpOptions = true,
    description = {
      "Print the pseudonym (pn_...) of each number, one a line in the order given, as the"
          + " producers would send it with the same key (env "
          + Pseudonymizer.KEY_ENV
          + " or --pseudonym-key-file).",
      "Numbers are normalised first (--default-region for national forms); a sender id (short"
          + " code, name) is not a personal number and is printed as it is.",
      "The key id goes to standard error: the same id means the same key."
    })
public final class PseudonymizeCommand implements Callable<Integer> {

  @Parameters(paramLabel = "NUMBER", arity = "1..*", description = "Numbers to pseudonymise.")
  List<String> numbers;

  @Option(
      names = "--default-region",
      paramLabel = "CC",
      description = "Region for numbers written in national form, e.g. CN, US, GB.")
  String defaultRegion;

  @Option(
      names = "--pseudonym-key-file",
      paramLabel = "FILE",
      description = "File holding the pseudonym key.")
  Path keyFile;

  @Override
  public Integer call() {
    IngestOptions region = new IngestOptions();
    region.defaultRegion = defaultRegion;
    String cc = region.region();
    Pseudonymizer pseudonyms = IngestOptions.PseudonymKeys.load(keyFile, System.getenv());
    NumberNormalizer normalizer = new NumberNormalizer();
    System.err.println("key id " + pseudonyms.keyId());
    int position = 0;
    for (String n : numbers) {
      position++;
      if (n.isBlank()) {
        throw new UserError("argument " + position + " is empty");
      }
      Party party = normalizer.normalize(n, cc).toParty();
      if (party.getKind() == PartyKind.E164) {
        System.out.println(pseudonyms.pseudonym(party.getId()));
      } else {
        // Not echoed: it may be a real number mistyped.
        System.err.println(
            "note: argument "
                + position
                + " is a sender id (a short code, a name, or not a valid number"
                + (cc == null ? " in E.164; --default-region reads national forms" : "")
                + "): printed as written, since the producers do not pseudonymise sender ids");
        System.out.println(party.getId());
      }
    }
    return 0;
  }
}

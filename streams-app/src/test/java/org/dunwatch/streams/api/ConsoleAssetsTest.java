package org.dunwatch.streams.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleAssetsTest {

  private final ConsoleAssets assets = new ConsoleAssets();

  @Test
  void shouldServeThePageItsModulesAndTheChartLibraryFromTheJar() {
    assertTrue(text(assets.index()).contains("console/app.js"));
    assertEquals(
        "text/javascript; charset=utf-8", assets.find("app.js").orElseThrow().contentType());
    for (String module : new String[] {"api.js", "i18n.js", "svg.js", "charts.js", "style.css"}) {
      assertTrue(assets.find(module).isPresent(), module);
    }
    assertTrue(text(assets.find("lib/uplot/uPlot.esm.js").orElseThrow()).contains("export"));
    assertTrue(assets.find("lib/uplot/uPlot.min.css").isPresent());
  }

  @Test
  void shouldRefuseAnythingOutsideTheConsoleFolders() {
    for (String path :
        new String[] {
          "../console/app.js",
          "lib/uplot/../../../../../org/dunwatch/console/app.js",
          "lib/uplot/../LICENSE",
          "rules/default.json",
          "/etc/passwd",
          "app.js%00.png",
          "missing.js",
          "index.html.bak",
        }) {
      assertTrue(assets.find(path).isEmpty(), path);
    }
  }

  private static String text(ConsoleAssets.Asset a) {
    return new String(a.body(), StandardCharsets.UTF_8);
  }
}

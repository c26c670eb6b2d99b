package dev.nudge.trade;

import java.net.URI;
import java.net.URISyntaxException;

final class Urls {

  private Urls() {}

  static boolean isHttp(String value) {
    if (value == null || value.length() > 2048) {
      return false;
    }
    try {
      URI uri = new URI(value);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}

package dev.nudge.common.http;

import java.net.URI;
import java.net.URISyntaxException;

public final class Urls {

  private Urls() {}

  public static boolean isHttp(String value) {
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

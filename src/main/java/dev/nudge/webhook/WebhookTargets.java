package dev.nudge.webhook;

import dev.nudge.common.problem.Validator;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;

/** Which URLs may receive webhooks: absolute http(s) to a public address (SPEC §4). */
@ApplicationScoped
public class WebhookTargets {

  private final AddressGuard guard;

  public WebhookTargets(WebhookConfig config) {
    this.guard = new AddressGuard(config.allowPrivateTargets());
  }

  public AddressGuard guard() {
    return guard;
  }

  /** Adds a field error unless {@code url} is a usable target. */
  public void checkUrl(String url, String field, Validator v) {
    if (url == null || url.isBlank()) {
      v.add(field, "is required");
      return;
    }
    if (url.length() > 2000) {
      v.add(field, "must be at most 2000 characters");
      return;
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      v.add(field, "is not a valid URL");
      return;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
      v.add(field, "must be an absolute http or https URL");
      return;
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      v.add(field, "must name a host, without user info or fragment");
      return;
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      v.add(field, "has a port outside 1-65535");
      return;
    }
    try {
      InetAddress address = guard.resolve(uri.getHost());
      if (!guard.allowed(address)) {
        v.add(
            field,
            "must not point at a private, loopback or link-local address"
                + AddressGuard.PRIVATE_TARGETS_HINT);
      }
    } catch (AddressGuard.Refused e) {
      v.add(field, "is refused: " + e.getMessage());
    }
  }
}

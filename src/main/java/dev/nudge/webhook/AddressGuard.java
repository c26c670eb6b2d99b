package dev.nudge.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Keeps webhooks away from internal networks (SSRF): loopback, private, link-local, multicast,
 * unspecified and other non-public ranges are refused unless private targets are allowed. The
 * dispatcher checks the address it actually connects to, so DNS rebinding gains nothing.
 */
public final class AddressGuard {

  /** Turns a host name into its addresses; DNS in production, a table in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /**
   * Hosts made only of numbers, dots and hex: IPv4 in some spelling. Only the canonical dotted quad
   * is taken; {@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1} or {@code 127.1} mean
   * different addresses to different parsers (Java reads {@code 0177} as 177, curl as 127).
   */
  private static final java.util.regex.Pattern NUMERIC =
      java.util.regex.Pattern.compile("(?i)[0-9a-fx.]+");

  private static final java.util.regex.Pattern CANONICAL_IPV4 =
      java.util.regex.Pattern.compile(
          "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

  private final boolean allowPrivate;
  private final Resolver resolver;

  public AddressGuard(boolean allowPrivate) {
    this(allowPrivate, InetAddress::getAllByName);
  }

  public AddressGuard(boolean allowPrivate, Resolver resolver) {
    this.allowPrivate = allowPrivate;
    this.resolver = resolver;
  }

  /** Thrown when a host does not resolve or resolves to a refused address. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** Resolves {@code host} and returns the address to connect to, after checking it. */
  /** Names the setting that lifts the refusal, for whoever reads the message. */
  public static final String PRIVATE_TARGETS_HINT =
      " (NUDGE_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true, nudge.webhooks.allow-private-targets, allows"
          + " such targets in development and tests)";

  public InetAddress resolve(String host) throws Refused {
    String name = stripBrackets(host);
    if (!host.startsWith("[") && isNumeric(name) && !CANONICAL_IPV4.matcher(name).matches()) {
      throw new Refused(
          "host '"
              + host
              + "' is not a canonical IPv4 address; write it as four decimal numbers"
              + " such as 93.184.216.34");
    }
    InetAddress[] all;
    try {
      all = resolver.resolve(name);
    } catch (UnknownHostException e) {
      throw new Refused("host '" + host + "' does not resolve");
    }
    if (!allowPrivate) {
      // Any internal answer refuses the host, so a mixed answer cannot be used to reach inside.
      for (InetAddress a : all) {
        if (!isPublic(a)) {
          throw new Refused(
              "host '"
                  + host
                  + "' resolves to "
                  + a.getHostAddress()
                  + ", which is not public"
                  + PRIVATE_TARGETS_HINT);
        }
      }
    }
    return all[0];
  }

  public boolean allowed(InetAddress address) {
    return allowPrivate || isPublic(address);
  }

  /** Digits, dots and hex only, with a digit in it: a number, not a name such as "cafe.de". */
  private static boolean isNumeric(String name) {
    if (!NUMERIC.matcher(name).matches() || name.chars().noneMatch(Character::isDigit)) {
      return false;
    }
    // A DNS name's last label is never all digits, and "0x…" is no hostname either.
    String last = name.substring(name.lastIndexOf('.') + 1);
    return last.isEmpty()
        || last.chars().allMatch(Character::isDigit)
        || name.matches("(?i).*0x.*");
  }

  static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** True for globally routable unicast addresses only. */
  public static boolean isPublic(InetAddress a) {
    if (a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return !(first == 0 // "this network"
          || first >= 240 // reserved and broadcast
          || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (first == 198 && (second == 18 || second == 19))); // benchmarking
    }
    if (a instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return false; // unique local fc00::/7
      }
      if (isEmbeddedIpv4(b)) {
        try {
          byte[] v4 = {b[12], b[13], b[14], b[15]};
          return isPublic(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
          return false;
        }
      }
    }
    return true;
  }

  /** IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) forms. */
  private static boolean isEmbeddedIpv4(byte[] b) {
    boolean compatible = true;
    for (int i = 0; i < 12; i++) {
      compatible &= b[i] == 0;
    }
    boolean nat64 =
        (b[0] & 0xff) == 0x00
            && (b[1] & 0xff) == 0x64
            && (b[2] & 0xff) == 0xff
            && (b[3] & 0xff) == 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = b[i] == 0;
    }
    return compatible || nat64;
  }
}

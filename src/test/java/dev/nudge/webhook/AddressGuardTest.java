package dev.nudge.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.1.2.3",
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "239.255.255.250",
        "255.255.255.255",
        "100.64.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::127.0.0.1",
        "64:ff9b::a00:1"
      })
  void internalAddressesAreRefused(String literal) throws Exception {
    InetAddress address = InetAddress.getByName(literal);
    assertFalse(AddressGuard.isPublic(address), literal);
    AddressGuard guard = new AddressGuard(false);
    assertFalse(guard.allowed(address));
    assertThrows(AddressGuard.Refused.class, () -> guard.resolve(literal));
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111"})
  void publicAddressesPass(String literal) throws Exception {
    InetAddress address = InetAddress.getByName(literal);
    assertTrue(AddressGuard.isPublic(address), literal);
    // Resolving a literal needs no DNS and sends no traffic.
    assertEquals(address, new AddressGuard(false).resolve(literal));
  }

  @Test
  void bracketedIpv6HostsAreChecked() {
    assertThrows(AddressGuard.Refused.class, () -> new AddressGuard(false).resolve("[::1]"));
  }

  @Test
  void privateTargetsPassOnlyWhenAllowed() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    assertTrue(new AddressGuard(true).allowed(loopback));
    assertEquals(loopback, new AddressGuard(true).resolve("127.0.0.1"));
  }

  @Test
  void unresolvableHostsAreRefused() {
    assertThrows(
        AddressGuard.Refused.class, () -> new AddressGuard(true).resolve("no-such-host.invalid"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2130706433",
        "0177.0.0.1",
        "0x7f.1",
        "0x7f000001",
        "0x7f.0.0.1",
        "127.1",
        "127.0.0.01",
        "0",
        "017700000001",
        "127.0.0.1.",
        "010.0.0.1",
        "1.2.3.04"
      })
  void ipv4InAnyButTheCanonicalSpellingIsRefused(String host) {
    // Parsers disagree on these (Java reads 0177 as decimal 177, curl as octal 127): refused even
    // where private targets are allowed, before any lookup.
    for (boolean allowPrivate : new boolean[] {false, true}) {
      AddressGuard.Refused refused =
          assertThrows(
              AddressGuard.Refused.class,
              () ->
                  new AddressGuard(
                          allowPrivate,
                          h -> {
                            throw new AssertionError("no lookup expected for " + h);
                          })
                      .resolve(host));
      assertTrue(refused.getMessage().contains("canonical"), refused.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cafe.de", "face.b00c.com", "api.example", "93.184.216.34"})
  void namesThatLookNumericAtFirstGlanceAreStillNames(String host) throws Exception {
    InetAddress publicAddress = InetAddress.getByName("93.184.216.34");
    assertEquals(
        publicAddress,
        new AddressGuard(false, h -> new InetAddress[] {publicAddress}).resolve(host));
  }

  @Test
  void aNameResolvingToAPrivateAddressIsRefused() throws Exception {
    InetAddress internal = InetAddress.getByName("10.0.0.5");
    AddressGuard guard = new AddressGuard(false, h -> new InetAddress[] {internal});
    AddressGuard.Refused refused =
        assertThrows(AddressGuard.Refused.class, () -> guard.resolve("hooks.example.com"));
    assertTrue(refused.getMessage().contains("10.0.0.5"), refused.getMessage());
  }

  @Test
  void aNameWithOnePrivateAnswerAmongPublicOnesIsRefused() throws Exception {
    InetAddress[] mixed = {
      InetAddress.getByName("93.184.216.34"), InetAddress.getByName("::ffff:127.0.0.1")
    };
    assertThrows(
        AddressGuard.Refused.class,
        () -> new AddressGuard(false, h -> mixed).resolve("rebind.example"));
  }
}

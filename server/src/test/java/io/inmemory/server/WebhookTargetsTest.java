package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookTargetsTest {
  /** Names resolve from this table only: no test asks a real DNS. */
  private static final Map<String, List<String>> DNS = Map.of(
      "hooks.example.com", List.of("93.184.216.34"),
      "split.example.com", List.of("93.184.216.34", "10.1.2.3"),
      "v6.example.com", List.of("2606:2800:220:1:248:1893:25c8:1946"),
      "metadata.example.com", List.of("169.254.169.254"));

  private static WebhookTargets targets(String... allowed) {
    return new WebhookTargets(List.of(allowed).stream().map(Cidr::parse).toList(), host -> {
      String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      List<String> addresses = DNS.get(bare);
      if (addresses == null) {
        if (bare.contains(":") || bare.matches("[0-9.]+")) {
          return new InetAddress[] {InetAddress.getByName(bare)};
        }
        throw new UnknownHostException(bare);
      }
      InetAddress[] out = new InetAddress[addresses.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = InetAddress.getByName(addresses.get(i));
      }
      return out;
    });
  }

  @Test
  void acceptsPublicHttps() throws Exception {
    assertThat(targets().check("https://hooks.example.com/in?x=1").getHost())
        .isEqualTo("hooks.example.com");
    assertThat(targets().check("https://v6.example.com:8443/").getPort()).isEqualTo(8443);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://127.0.0.1/|loopback",
      "https://[::1]/|loopback",
      "https://10.0.0.1/|private",
      "https://172.20.0.1/|private",
      "https://192.168.1.1/|private",
      "https://169.254.169.254/latest/meta-data|link-local",
      "https://metadata.example.com/|link-local",
      "https://[::ffff:10.0.0.1]/|private",
      "https://[64:ff9b::a00:1]/|IPv6 form of 10.0.0.1",
      "https://[2002:7f00:1::]/|IPv6 form of 127.0.0.1",
      "https://[fd00::1]/|unique local",
      "https://[fe80::1]/|link-local",
      "https://100.64.0.1/|carrier-grade",
      "https://0.0.0.0/|unspecified",
      "https://224.0.0.1/|multicast",
      "https://255.255.255.255/|reserved",
      "https://split.example.com/|private",
  })
  void refusesNonPublicAddresses(String url, String reason) {
    assertThatThrownBy(() -> targets().check(url)).isInstanceOf(WebhookTargets.Refused.class)
        .hasMessageContaining(reason).hasMessageContaining("INMEMORY_WEBHOOK_ALLOWED_NETWORKS");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ftp://hooks.example.com/|https",
      "https://user:pw@hooks.example.com/|user name",
      "http://hooks.example.com/|use https",
      "hooks.example.com/in|https",
      "https:///in|host",
      "https://exa mple.com/|not a URL",
  })
  void refusesOtherForms(String url, String reason) {
    assertThatThrownBy(() -> targets().check(url)).isInstanceOf(WebhookTargets.Refused.class)
        .hasMessageContaining(reason);
  }

  @Test
  void refusesLongUrlsAndUnknownHosts() {
    assertThatThrownBy(() -> targets().check("https://hooks.example.com/" + "a".repeat(2048)))
        .hasMessageContaining("longer than 2048");
    assertThatThrownBy(() -> targets().check("https://nowhere.example.com/"))
        .isInstanceOf(WebhookTargets.Refused.class).hasMessageContaining("does not resolve")
        .satisfies(e -> assertThat(((WebhookTargets.Refused) e).unresolved()).isTrue());
  }

  @Test
  void anAllowedNetworkAdmitsItsAddressesAndHttp() throws Exception {
    WebhookTargets targets = targets("127.0.0.0/8", "fd00::/8");
    assertThat(targets.check("http://127.0.0.1:9000/hook").getPort()).isEqualTo(9000);
    assertThat(targets.check("http://[fd00::5]/").getHost()).isEqualTo("[fd00::5]");
    assertThatThrownBy(() -> targets.check("https://10.0.0.1/"))
        .hasMessageContaining("private");
    // http only where every address is allowed
    assertThatThrownBy(() -> targets.check("http://hooks.example.com/"))
        .hasMessageContaining("use https");
  }

  @Test
  void cidrsParseAndMatch() throws Exception {
    Cidr block = Cidr.parse("10.1.0.0/16");
    assertThat(block.contains(InetAddress.getByName("10.1.255.3"))).isTrue();
    assertThat(block.contains(InetAddress.getByName("10.2.0.1"))).isFalse();
    assertThat(block.contains(InetAddress.getByName("::1"))).isFalse();
    assertThat(Cidr.parse("10.1.2.3/16")).hasToString("10.1.0.0/16");
    assertThat(Cidr.parse("fd00::/8").contains(InetAddress.getByName("fdab::1"))).isTrue();
    assertThat(Cidr.parse("192.0.2.7")).hasToString("192.0.2.7/32");
    assertThat(Cidr.parseList(" 10.0.0.0/8 , ,::1")).hasSize(2);
    assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageContaining("not an IP");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("0 to 32");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("prefix length");
  }
}

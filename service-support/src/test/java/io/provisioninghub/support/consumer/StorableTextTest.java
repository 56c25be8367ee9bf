package io.provisioninghub.support.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorableTextTest {

  @Test
  void replacesWhatPostgresCannotHoldAndKeepsTheRest() {
    assertThat(StorableText.of("a\u0000b")).isEqualTo("a\uFFFDb");
    assertThat(StorableText.of("lone \ud800 x")).isEqualTo("lone \uFFFD x");
    assertThat(StorableText.of("low first \udc00\ud800")).isEqualTo("low first \uFFFD\uFFFD");
    assertThat(StorableText.of("end \ud83d")).isEqualTo("end \uFFFD");
    assertThat(StorableText.of("pair \ud83d\ude00 \u0000")).isEqualTo("pair \ud83d\ude00 \uFFFD");
    String plain = "plain é 日本";
    assertThat(StorableText.of(plain)).isSameAs(plain);
    assertThat(StorableText.of(null)).isNull();
  }
}

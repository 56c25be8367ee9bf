package io.provisioninghub.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request written byte for byte on its own connection, so that a test can send what
 * java.net.http refuses to: malformed request targets, raw invalid UTF-8, any method or header.
 */
record RawRequest(String method, String target, Map<String, String> headers, byte[] body) {

  /** What came back; status -1 means the connection timed out, 0 that it closed without answer. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  Response send(URI base, int timeoutMillis) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String host = base.getHost() + ":" + base.getPort();
    out.write((method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
    if (!headers.containsKey("Host")) {
      out.write(("Host: " + host + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    for (Map.Entry<String, String> h : headers.entrySet()) {
      out.write((h.getKey() + ": " + h.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    if (body != null) {
      out.write(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    out.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.write(body);
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      OutputStream os = socket.getOutputStream();
      try {
        os.write(out.toByteArray());
        os.flush();
      } catch (IOException e) {
        // The server may answer and close before it read a large body: read what it said.
      }
      try {
        return read(socket.getInputStream());
      } catch (SocketTimeoutException e) {
        return new Response(-1, Map.of(), new byte[0]);
      }
    }
  }

  private static Response read(InputStream in) throws IOException {
    byte[] all = in.readAllBytes();
    int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (all.length == 0 || end < 0) {
      return new Response(0, Map.of(), all);
    }
    String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      rest = dechunk(rest);
    }
    return new Response(status, headers, rest);
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int i = 0;
    while (i < chunked.length) {
      int lineEnd = indexOf(chunked, "\r\n".getBytes(StandardCharsets.ISO_8859_1), i);
      if (lineEnd < 0) {
        break;
      }
      String sizeText = new String(chunked, i, lineEnd - i, StandardCharsets.ISO_8859_1);
      int size = Integer.parseInt(sizeText.split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      body.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
      i = lineEnd + 2 + size + 2;
    }
    return body.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    return indexOf(data, pattern, 0);
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

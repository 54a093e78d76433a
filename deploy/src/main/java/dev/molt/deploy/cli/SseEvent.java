package dev.molt.deploy.cli;

/**
 * One server-sent event of {@code GET /molt/events}: its {@code id:} (null for the {@code missed}
 * notice, which keeps the client's last id), its {@code event:} type and its {@code data:} text.
 */
record SseEvent(String id, String type, String data) {

  /**
   * Reads the SSE text format line by line (the WHATWG rules moltctl needs: {@code id}, {@code event},
   * multi-line {@code data}, comments; a blank line dispatches). Comments are the server's keep-alives.
   */
  static final class Parser {
    private String id;
    private String type;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /** The event this line completes, or null. */
    SseEvent line(String line) {
      if (line.isEmpty()) {
        SseEvent event = hasData ? new SseEvent(id, type == null ? "message" : type, data.toString()) : null;
        id = null;
        type = null;
        data.setLength(0);
        hasData = false;
        return event;
      }
      if (line.startsWith(":")) {
        return null;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      value = value.startsWith(" ") ? value.substring(1) : value;
      switch (field) {
        case "id" -> id = value;
        case "event" -> type = value;
        case "data" -> {
          if (hasData) {
            data.append('\n');
          }
          data.append(value);
          hasData = true;
        }
        default -> { } // retry and unknown fields: nothing moltctl uses
      }
      return null;
    }
  }
}

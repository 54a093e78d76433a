package dev.molt.orchestrator.http;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The bounds every request is checked against before anything reads it further (molt.http and
 * molt.orchestrator in reference.conf). A request over one is refused with the key's name.
 */
record HttpLimits(long maxJsonBytes, int maxJsonDepth, Duration bodyReadTimeout, long maxUploadBytes,
    long uploadDrainBytes, Duration maxPauseBetweenBatches) {

  static HttpLimits from(Config config) {
    return new HttpLimits(
        config.getBytes("molt.http.max-json-bytes"),
        config.getInt("molt.http.max-json-depth"),
        config.getDuration("molt.http.body-read-timeout"),
        config.getBytes("molt.http.max-upload-bytes"),
        config.getBytes("molt.http.upload-drain-bytes"),
        config.getDuration("molt.orchestrator.max-pause-between-batches"));
  }
}

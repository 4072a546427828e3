package org.sensorcluster.http;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * A parsed query: which read model answers it (for the lag headers), which must have applied minSeq
 * before it runs, and how it runs.
 */
record ModelQuery(
    String model,
    List<String> awaited,
    QueryParams.MinSeq minSeq,
    Supplier<CompletionStage<HttpResponse>> run) {
  ModelQuery(String model, QueryParams.MinSeq minSeq, Supplier<CompletionStage<HttpResponse>> run) {
    this(model, List.of(model), minSeq, run);
  }
}

package org.sensorcluster.http;

import java.util.Locale;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.sensorcluster.domain.view.Series;
import org.sensorcluster.domain.view.Step;

/**
 * A series as CSV ({@code Accept: text/csv} on the readings query, for export): a header line, then
 * {@code timestamp,value} per raw reading or {@code start,count,min,max,avg} per bucket; RFC 3339
 * times, numbers as in the JSON. {@code X-Series-Truncated: true} when maxPoints cut it.
 */
final class SeriesCsv {

  private SeriesCsv() {}

  static boolean wanted(java.util.Optional<String> accept) {
    return accept.map(a -> a.toLowerCase(Locale.ROOT).contains("text/csv")).orElse(false);
  }

  static HttpResponse response(Series s) {
    StringBuilder out = new StringBuilder();
    if (s.step() == Step.RAW) {
      out.append("timestamp,value\n");
      for (Series.Point p : s.points()) {
        out.append(p.timestamp()).append(',').append(number(p.value())).append('\n');
      }
    } else {
      out.append("start,count,min,max,avg\n");
      for (Series.Bucket b : s.buckets()) {
        out.append(b.start())
            .append(',')
            .append(b.count())
            .append(',')
            .append(number(b.min()))
            .append(',')
            .append(number(b.max()))
            .append(',')
            .append(number(b.avg()))
            .append('\n');
      }
    }
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.create(ContentTypes.TEXT_CSV_UTF8, out.toString()))
        .addHeader(
            RawHeader.create(
                "Content-Disposition",
                "attachment; filename=\"" + s.sensorId() + "-" + s.step().label() + ".csv\""))
        .addHeader(RawHeader.create("X-Series-Truncated", Boolean.toString(s.truncated())));
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v) + ".0"
        : Double.toString(v);
  }
}

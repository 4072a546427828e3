package org.sensorcluster.loadgen;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code --record FILE}: appends one line {@code sensorId<TAB>readingId} for every reading a 202
 * acknowledged (accepted or duplicate, i.e. every item not listed as rejected), warm-up included.
 * Shared by all connection threads; each request's lines are written in one synchronized block.
 * Flushed when closed, i.e. when the run ends.
 */
final class AckRecorder implements Closeable {

  private final BufferedWriter out;

  AckRecorder(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      this.out =
          Files.newBufferedWriter(
              file,
              StandardCharsets.US_ASCII,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open --record file " + file, e);
    }
  }

  /** Records readings {@code base..base+count-1} of one request, except the rejected indices. */
  void acknowledged(RequestFactory requests, long base, int count, Ack ack) {
    StringBuilder lines = new StringBuilder(count * 40);
    for (int i = 0; i < count; i++) {
      if (ack.rejected().get(i)) continue;
      lines
          .append(requests.sensorOf(base, i))
          .append('\t')
          .append(requests.readingIdOf(base, i))
          .append('\n');
    }
    synchronized (this) {
      try {
        out.append(lines);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}

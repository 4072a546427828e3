package org.sensorcluster.projections;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.sensorcluster.projections.alerts.AlertsModel;
import org.sensorcluster.projections.latest.LatestModel;
import org.sensorcluster.projections.readings.ReadingsModel;
import org.sensorcluster.projections.rollups.RollupsModel;

/**
 * The registry of read models: the one list the runtime, generations, rebuild, retention, progress,
 * admin and CLI iterate. Adding a model is a package implementing {@link ReadModel} and one entry
 * in {@link #ALL}; a test may run with extra models through {@link #with}.
 */
public final class ReadModels implements Iterable<ReadModel> {

  /**
   * The models every node serves, in the order they are listed (admin status, metrics, CLI help).
   */
  public static final ReadModels ALL =
      new ReadModels(
          List.of(
              LatestModel.INSTANCE,
              ReadingsModel.INSTANCE,
              RollupsModel.INSTANCE,
              AlertsModel.INSTANCE));

  private final List<ReadModel> models;

  private ReadModels(List<ReadModel> models) {
    List<String> names = new ArrayList<>();
    for (ReadModel m : models) {
      if (names.contains(m.modelName())) {
        throw new IllegalArgumentException("two read models named " + m.modelName());
      }
      names.add(m.modelName());
    }
    this.models = List.copyOf(models);
  }

  /** These models and {@code more}. */
  public ReadModels with(ReadModel... more) {
    List<ReadModel> all = new ArrayList<>(models);
    all.addAll(List.of(more));
    return new ReadModels(all);
  }

  public List<ReadModel> list() {
    return models;
  }

  @Override
  public Iterator<ReadModel> iterator() {
    return models.iterator();
  }

  /** The model called {@code name}, or null. */
  public ReadModel named(String name) {
    for (ReadModel m : models) {
      if (m.modelName().equals(name)) {
        return m;
      }
    }
    return null;
  }

  /** The models' names in order. */
  public List<String> names() {
    return models.stream().map(ReadModel::modelName).toList();
  }

  /** The first model that keeps a row per sensor ({@link ReadModel#sensorIndex}), or null. */
  public ReadModel sensorIndex() {
    return models.stream().filter(m -> m.sensorIndex() != null).findFirst().orElse(null);
  }
}

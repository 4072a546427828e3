package org.sensorcluster.node.entity;

import java.time.Clock;
import java.util.Set;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.sensorcluster.domain.EventTags;
import org.sensorcluster.domain.Refusal;
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.domain.SensorState;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.event.SensorDecommissioned;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorWentSilent;
import org.sensorcluster.node.entity.SensorCommand.Changed;
import org.sensorcluster.node.entity.SensorCommand.CheckSilence;
import org.sensorcluster.node.entity.SensorCommand.Decommission;
import org.sensorcluster.node.entity.SensorCommand.GetSummary;
import org.sensorcluster.node.entity.SensorCommand.RecordReadings;
import org.sensorcluster.node.entity.SensorCommand.Recorded;
import org.sensorcluster.node.entity.SensorCommand.UpdateMetadata;

/**
 * One sensor: an event-sourced actor, sharded by sensor id. The rules live in {@link SensorState};
 * this class only turns commands into events and replies after the journal confirmed the write.
 */
public final class SensorEntity
    extends EventSourcedBehaviorWithEnforcedReplies<SensorCommand, SensorEvent, SensorState> {

  public static final EntityTypeKey<SensorCommand> TYPE_KEY =
      EntityTypeKey.create(SensorCommand.class, SensorPersistenceIds.ENTITY_TYPE);

  private final ActorContext<SensorCommand> context;
  private final String sensorId;
  private final EntityLog log;
  private final SensorEntitySettings settings;
  private final Clock clock;
  private final String tag;
  private final long createdNanos = System.nanoTime();

  /**
   * The entity type for Cluster Sharding, spread over {@code numberOfShards} shards (the same on
   * every node of the cluster, for its whole life); {@code ShardPlacement} registers it.
   */
  public static Entity<SensorCommand, ShardingEnvelope<SensorCommand>> entity(
      SensorEntitySettings settings, Clock clock, int numberOfShards) {
    return Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId(), settings, clock))
        .withMessageExtractor(new HashCodeMessageExtractor<SensorCommand>(numberOfShards));
  }

  public static Behavior<SensorCommand> create(
      String sensorId, SensorEntitySettings settings, Clock clock) {
    return Behaviors.setup(ctx -> new SensorEntity(ctx, sensorId, settings, clock));
  }

  public static PersistenceId persistenceId(String sensorId) {
    return PersistenceId.of(TYPE_KEY.name(), sensorId);
  }

  private SensorEntity(
      ActorContext<SensorCommand> context,
      String sensorId,
      SensorEntitySettings settings,
      Clock clock) {
    // A journal outage fails every in-flight write at once: Pekko's default would log an ERROR with
    // a stack trace per sensor (hundreds of thousands of lines under load). The gateway logs one
    // summary line per 10 s instead (FailureSummaryLog); the per-sensor lines stay at DEBUG.
    super(
        persistenceId(sensorId),
        SupervisorStrategy.restartWithBackoff(
                settings.persistFailureBackoffMin(), settings.persistFailureBackoffMax(), 0.2)
            .withLogLevel(org.slf4j.event.Level.DEBUG));
    this.context = context;
    this.sensorId = sensorId;
    this.log = new EntityLog(sensorId);
    this.settings = settings;
    this.clock = clock;
    this.tag = EventTags.tagFor(sensorId, settings.tagCount());
  }

  @Override
  public SensorState emptyState() {
    return SensorState.EMPTY;
  }

  @Override
  public CommandHandlerWithReply<SensorCommand, SensorEvent, SensorState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(RecordReadings.class, this::onRecord)
        .onCommand(GetSummary.class, (state, cmd) -> Effect().reply(cmd.replyTo(), summary(state)))
        .onCommand(UpdateMetadata.class, this::onUpdateMetadata)
        .onCommand(Decommission.class, this::onDecommission)
        .onCommand(CheckSilence.class, this::onCheckSilence)
        .build();
  }

  private ReplyEffect<SensorEvent, SensorState> onRecord(SensorState state, RecordReadings cmd) {
    if (state.decommissioned()) {
      log.refused(cmd.requestId(), cmd.readings().size(), "decommissioned");
      return Effect()
          .reply(cmd.replyTo(), new Recorded(0, 0, lastSequenceNr(), Refusal.DECOMMISSIONED));
    }
    if (!settings.autoRegister() && !state.registered()) {
      log.refused(cmd.requestId(), cmd.readings().size(), "not registered");
      return Effect()
          .reply(cmd.replyTo(), new Recorded(0, 0, lastSequenceNr(), Refusal.NOT_REGISTERED));
    }
    boolean isNew = !state.known();
    if (isNew && !cmd.mayCreate()) {
      return Effect()
          .reply(cmd.replyTo(), new Recorded(0, 0, lastSequenceNr(), Refusal.NEW_SENSOR_QUOTA));
    }
    SensorState.Decision decision = state.decide(cmd.readings(), cmd.receivedAt());
    if (decision.toStore().isEmpty()) {
      log.nothingNew(cmd.requestId(), decision.duplicates(), decision.conflicts().size());
      return Effect()
          .reply(
              cmd.replyTo(),
              new Recorded(0, decision.duplicates(), lastSequenceNr(), null, decision.conflicts()));
    }
    int accepted = decision.toStore().size();
    long started = System.nanoTime();
    // One atomic write: the readings and the alerts they raise or clear.
    return Effect()
        .persist(state.eventsForReadings(decision.toStore(), clock.instant(), cmd.requestId()))
        .thenReply(
            cmd.replyTo(),
            s -> {
              long micros = (System.nanoTime() - started) / 1000;
              EntityMetrics.PERSIST_LATENCY.observe(micros / 1e6);
              EntityMetrics.EVENT_READINGS.observe(accepted);
              log.stored(
                  cmd.requestId(), accepted, this::lastSequenceNr, decision.duplicates(), micros);
              return new Recorded(
                  accepted,
                  decision.duplicates(),
                  lastSequenceNr(),
                  null,
                  decision.conflicts(),
                  isNew);
            });
  }

  private ReplyEffect<SensorEvent, SensorState> onUpdateMetadata(
      SensorState state, UpdateMetadata cmd) {
    if (state.decommissioned()) {
      return Effect()
          .reply(
              cmd.replyTo(), new Changed(false, false, lastSequenceNr(), Refusal.DECOMMISSIONED));
    }
    boolean created = !state.registered();
    return Effect()
        .persist(state.eventsForMetadata(cmd.metadata(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> new Changed(created, true, lastSequenceNr(), null));
  }

  private ReplyEffect<SensorEvent, SensorState> onDecommission(
      SensorState state, Decommission cmd) {
    if (state.decommissioned()) {
      return Effect().reply(cmd.replyTo(), new Changed(false, false, lastSequenceNr(), null));
    }
    if (!state.known()) {
      return Effect()
          .reply(
              cmd.replyTo(), new Changed(false, false, lastSequenceNr(), Refusal.NOT_REGISTERED));
    }
    return Effect()
        .persist(new SensorDecommissioned(clock.instant()))
        .thenReply(cmd.replyTo(), s -> new Changed(false, true, lastSequenceNr(), null));
  }

  private ReplyEffect<SensorEvent, SensorState> onCheckSilence(
      SensorState state, CheckSilence cmd) {
    SensorWentSilent silence = state.silenceAt(clock.instant(), settings.defaultExpectedInterval());
    if (silence == null) {
      return Effect().noReply();
    }
    log.silent(silence);
    return Effect().persist(silence).thenNoReply();
  }

  private long lastSequenceNr() {
    return lastSequenceNumber(context);
  }

  private SensorSummary summary(SensorState state) {
    return new SensorSummary(
        sensorId,
        state.readingCount(),
        state.lastReading(),
        state.lastRecordedAt(),
        lastSequenceNr(),
        state.metadata(),
        state.openAlert(),
        state.decommissionedAt(),
        state.silent() ? state.silentAlert().raisedAt() : null);
  }

  @Override
  public EventHandler<SensorState, SensorEvent> eventHandler() {
    int memory = settings.readingIdMemory();
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent((state, event) -> state.apply(event, memory));
  }

  @Override
  public SignalHandler<SensorState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> EntityMetrics.RECOVERY_TIME.observe((System.nanoTime() - createdNanos) / 1e9))
        .build();
  }

  @Override
  public Set<String> tagsFor(SensorEvent event) {
    return Set.of(tag);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }
}

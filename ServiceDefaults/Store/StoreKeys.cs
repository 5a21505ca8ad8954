namespace GreenTrain.ServiceDefaults.Store;

/// <summary>
/// Every key GreenTrain writes, under one prefix so the store can be shared and inspected.
/// docs/store.md lists each key with its type and owner: change both together.
/// </summary>
public static class StoreKeys
{
    public const string Prefix = "greentrain:";

    /// <summary>Hash: what a service instance last said about itself (owner: each service).</summary>
    public static string Service(string serviceName) => $"{Prefix}service:{serviceName}";

    /// <summary>String counter: how many times a service has started against this store (owner: each service).</summary>
    public static string ServiceStarts(string serviceName) => $"{Prefix}service:{serviceName}:starts";

    /// <summary>String: the value a service's health check writes and reads back (owner: each service).</summary>
    public static string HealthProbe(string serviceName) => $"{Prefix}health:{serviceName}";

    // --- Scheduler leadership (owner: Scheduler replicas) ---

    /// <summary>String, expiry: "owner:fence" of the Scheduler replica that plans and dispatches; renewed while it lives.</summary>
    public const string SchedulerLeader = Prefix + "scheduler:leader";

    /// <summary>String counter: the last fencing number handed to a leader; each new term gets a larger one.</summary>
    public const string SchedulerLeaderFence = Prefix + "scheduler:leader:fence";

    /// <summary>String, expiry: token of the Scheduler replica changing experiment records now (one writer across replicas).</summary>
    public const string SchedulerRecordsLock = Prefix + "scheduler:records-lock";

    /// <summary>String counter: the fencing numbers of <see cref="SchedulerRecordsLock"/>.</summary>
    public const string SchedulerRecordsLockFence = Prefix + "scheduler:records-lock:fence";

    /// <summary>Pub/sub channel: a replica asks the leader to replan now (a submit or resume); the records stay the truth.</summary>
    public const string SchedulerReplanChannel = Prefix + "scheduler:replan";

    // --- Command queues, one per region (owner: Scheduler produces, Trainer workers consume) ---

    /// <summary>List: commands waiting for a worker; producers LPUSH, consumers LMOVE from the right.</summary>
    public static string QueuePending(string region) => $"{Prefix}queue:{Segment(region, nameof(region))}:pending";

    /// <summary>List: commands a worker has taken and not yet acknowledged.</summary>
    public static string QueueProcessing(string region) => $"{Prefix}queue:{Segment(region, nameof(region))}:processing";

    /// <summary>Sorted set: member a taken command's payload, score its lease expiry (store clock, Unix ms).</summary>
    public static string QueueLeases(string region) => $"{Prefix}queue:{Segment(region, nameof(region))}:leases";

    /// <summary>Hash: a taken command's payload -> the token of the worker holding its lease.</summary>
    public static string QueueHolders(string region) => $"{Prefix}queue:{Segment(region, nameof(region))}:holders";

    /// <summary>Hash: a command's payload -> how many times it has been taken (poison detection).</summary>
    public static string QueueDeliveries(string region) => $"{Prefix}queue:{Segment(region, nameof(region))}:deliveries";

    /// <summary>List: commands given up on after too many expired leases, kept for an operator to inspect.</summary>
    public static string QueueDead(string region) => $"{Prefix}queue:{Segment(region, nameof(region))}:dead";

    /// <summary>Pub/sub channel: wakes waiting workers when a command is queued (the list stays the truth).</summary>
    /// <summary>Sorted set: worker id -> when its presence lapses (store clock, Unix ms); who serves the region's queue now.</summary>
    public static string QueueWorkers(string region) => $"{Prefix}queue:{Segment(region, nameof(region))}:workers";

    public static string QueueWakeChannel(string region) => $"{Prefix}queue:{Segment(region, nameof(region))}:wake";

    /// <summary>String with expiry: present once a command has been applied and acknowledged (owner: Trainer workers).</summary>
    public static string CommandApplied(string commandId) => $"{Prefix}command:{Segment(commandId, nameof(commandId))}:applied";

    /// <summary>
    /// String with expiry: present while a command with this id waits on a queue or is being handled (owner: the queue's
    /// scripts; set on enqueue, removed on acknowledge or dead-letter). The queue's duplicate check is by id through it.
    /// </summary>
    public static string CommandQueued(string commandId) => $"{Prefix}command:{Segment(commandId, nameof(commandId))}:queued";

    /// <summary>Hash: experiment id -> "issuedAtUnixMs:commandId" of the newest command applied to it (owner: Trainer workers).</summary>
    public static string CommandsLastApplied => $"{Prefix}commands:last-applied";

    // --- Checkpoints, per experiment (owner: Trainer) ---

    /// <summary>Sorted set: committed checkpoint id -> commit sequence number (higher is newer).</summary>
    public static string CheckpointIndex(string experimentId) => $"{Prefix}checkpoint:{Segment(experimentId, nameof(experimentId))}:index";

    /// <summary>String counter: the last commit sequence number handed out for the experiment.</summary>
    public static string CheckpointSequence(string experimentId) => $"{Prefix}checkpoint:{Segment(experimentId, nameof(experimentId))}:sequence";

    /// <summary>Hash: checkpoint id -> start time of a save whose chunks may exist but whose manifest is not committed.</summary>
    public static string CheckpointsWriting(string experimentId) => $"{Prefix}checkpoint:{Segment(experimentId, nameof(experimentId))}:writing";

    /// <summary>String (JSON): a checkpoint's manifest; written last, its presence in the index is the commit.</summary>
    public static string CheckpointManifest(string experimentId, string checkpointId) =>
        $"{Prefix}checkpoint:{Segment(experimentId, nameof(experimentId))}:{Segment(checkpointId, nameof(checkpointId))}:manifest";

    /// <summary>String (binary, at most 4 MB): chunk number <paramref name="chunk"/> of a checkpoint, counted across its sections.</summary>
    public static string CheckpointChunk(string experimentId, string checkpointId, int chunk) =>
        $"{Prefix}checkpoint:{Segment(experimentId, nameof(experimentId))}:{Segment(checkpointId, nameof(checkpointId))}:chunk:{chunk}";

    /// <summary>String (JSON CarbonForecastEntry, through CarbonForecastJson; with expiry): the last good intensity forecast of a region and when it was fetched (owner: Scheduler writes, Telemetry reads).</summary>
    public static string CarbonForecast(string region) => $"{Prefix}carbon:{Segment(region, nameof(region))}:forecast";

    /// <summary>Hash, field per experiment id: the submitted experiment and its state, plan and progress as JSON (owner: Scheduler).</summary>
    public static string Experiments => $"{Prefix}experiments";

    /// <summary>Hash, field per sweep id: the submitted sweep (POST /sweeps), its state and its trials with their experiment ids, as JSON (owner: Scheduler).</summary>
    public static string Sweeps => $"{Prefix}sweeps";

    /// <summary>Pub/sub channel: a sweep id, published after its record in <see cref="Sweeps"/> changed; only wakes readers (owner: Scheduler).</summary>
    public const string SweepUpdatesChannel = Prefix + "sweep-updates";

    // --- Experiments between Scheduler and Trainer workers (docs/store.md, "Experiment control and progress") ---

    /// <summary>String (ExperimentSpecJson): the spec to train, written by the Scheduler before it queues a Start (owner: Scheduler).</summary>
    public static string ExperimentSpec(string experimentId) => $"{Prefix}experiment:{Segment(experimentId, nameof(experimentId))}:spec";

    /// <summary>Hash: the run as its worker last reported it (state, step, metrics, checkpoint, worker) (owner: Trainer workers).</summary>
    public static string ExperimentProgress(string experimentId) => $"{Prefix}experiment:{Segment(experimentId, nameof(experimentId))}:progress";

    /// <summary>Hash: the desired state (run, pause, cancel) with the issuedAt and id of the command that set it; newer wins (owner: Scheduler and Trainer workers).</summary>
    public static string ExperimentControl(string experimentId) => $"{Prefix}experiment:{Segment(experimentId, nameof(experimentId))}:control";

    /// <summary>String with expiry: the worker that runs the experiment now ("worker|commandId|token"), renewed while it trains (owner: Trainer workers).</summary>
    public static string ExperimentOwner(string experimentId) => $"{Prefix}experiment:{Segment(experimentId, nameof(experimentId))}:owner";

    /// <summary>List of JSON evaluations (step, trainLoss, loss, accuracy, ...), oldest first; a resume may repeat a step, the newest wins (owner: Trainer workers).</summary>
    public static string ExperimentEvaluations(string experimentId) => $"{Prefix}experiment:{Segment(experimentId, nameof(experimentId))}:evaluations";

    /// <summary>List of JSON PlanSnapshot, oldest first: the first plan and every replan that changed the intervals (owner: Scheduler).</summary>
    public static string ExperimentPlans(string experimentId) => $"{Prefix}experiment:{Segment(experimentId, nameof(experimentId))}:plans";

    /// <summary>
    /// String ("steps:N" or "epochs:N", SegmentLimit): where the worker stops this run to be continued later (a sweep's
    /// rung); absent: train the whole spec. Written by the Scheduler before the Start or Resume it concerns.
    /// </summary>
    public static string ExperimentSegmentLimit(string experimentId) => $"{Prefix}experiment:{Segment(experimentId, nameof(experimentId))}:segment-limit";

    /// <summary>String: the JSON DedupSummary of the experiment's last dedup stage (share removed, per-stage counts, its energy), written before training (owner: Trainer workers).</summary>
    public static string ExperimentDedup(string experimentId) => $"{Prefix}experiment:{Segment(experimentId, nameof(experimentId))}:dedup";

    /// <summary>List of JSON lines, one removed example each (the dedup manifest: split, id, stage, the example it matched), replaced by each dedup stage (owner: Trainer workers).</summary>
    public static string ExperimentDedupManifest(string experimentId) => $"{Prefix}experiment:{Segment(experimentId, nameof(experimentId))}:dedup-manifest";

    /// <summary>Sorted set: experiment ids with a progress hash, scored by its last update (Unix ms) (owner: Trainer workers).</summary>
    public const string ProgressIndex = Prefix + "progress-index";

    /// <summary>Pub/sub channel: an experiment id, published after its progress hash changed; only wakes readers.</summary>
    public const string ProgressUpdatesChannel = Prefix + "progress-updates";

    /// <summary>Pub/sub channel: an experiment id, published after its control hash changed; wakes the worker running it.</summary>
    public const string ControlUpdatesChannel = Prefix + "experiment-control";

    /// <summary>
    /// Ids become key segments, so they must not be empty or carry the separator, spaces or glob characters
    /// that would make one key look like another or a pattern.
    /// </summary>
    public static string Segment(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 128 || !value.All(IsSegmentChar))
        {
            throw new ArgumentException(
                $"'{value}' is not a valid {name}: use 1 to 128 letters, digits, '-', '_' or '.'.", name);
        }
        return value;
    }

    private static bool IsSegmentChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    // --- Energy windows, per experiment (owner: Trainer writes, Telemetry reads) ---

    /// <summary>List of JSON EnergyWindow, oldest first (RPUSH): a run's energy per window (owner: Trainer writes, Telemetry reads).</summary>
    public static string EnergyWindows(string experimentId) => $"{Prefix}energy:{Segment(experimentId, nameof(experimentId))}";

    /// <summary>String, JSON RunPrediction: the run's forecast totals and what remains (owner: Telemetry writes, Scheduler reads).</summary>
    public static string EnergyPrediction(string experimentId) => $"{Prefix}energy:{Segment(experimentId, nameof(experimentId))}:prediction";

    /// <summary>String, JSON EnergyRunInfo: the run's hardware and step plan (owner: Trainer writes, Telemetry reads).</summary>
    public static string EnergyRunInfo(string experimentId) => $"{Prefix}energy:{Segment(experimentId, nameof(experimentId))}:run";

    /// <summary>Sorted set: experiment ids that have energy windows, scored by the last window's end (unix s) (owner: Trainer).</summary>
    public const string EnergyExperiments = Prefix + "energy-index";

    /// <summary>Pub/sub channel: an experiment id, published after a window is pushed; only wakes Telemetry early.</summary>
    public const string EnergyUpdatesChannel = Prefix + "energy-updates";
}

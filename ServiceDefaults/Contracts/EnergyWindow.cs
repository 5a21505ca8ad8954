using System.Text.Json.Serialization;

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// The energy that a run's devices used between two step boundaries. The Trainer closes a window after it
/// has synchronised its devices, writes it to its output folder (energy.jsonl, one window a line) and, under
/// a worker, pushes it to the store; Telemetry turns windows into emissions. Times are UTC.
/// </summary>
/// <param name="ExperimentId">The experiment the energy is billed to (the run folder's name when run alone).</param>
/// <param name="RunId">One attempt of the experiment: a resume after a pause keeps it, a restart from scratch changes it.</param>
/// <param name="Sequence">0, 1, 2 ... within the run, so a reader can tell a gap or a duplicate.</param>
/// <param name="Start">When the window opened (UTC).</param>
/// <param name="End">When it closed, after the devices were synchronised (UTC).</param>
/// <param name="Phase">What the run was doing; energy in <see cref="EnergyPhase.Paused"/> windows is not billed.</param>
/// <param name="StepStart">The optimizer step count when the window opened.</param>
/// <param name="StepEnd">The optimizer step count when it closed.</param>
/// <param name="Devices">One entry per measured device (GPU, CPU package, memory), each with its method.</param>
public sealed record EnergyWindow(
    string ExperimentId,
    string RunId,
    long Sequence,
    DateTimeOffset Start,
    DateTimeOffset End,
    EnergyPhase Phase,
    long StepStart,
    long StepEnd,
    IReadOnlyList<DeviceEnergy> Devices);

/// <summary>The energy of one device in one window.</summary>
/// <param name="Device">Stable id within the machine: "gpu:0", "cpu:package-0", "memory:dram-0", "cpu", "memory".</param>
/// <param name="Kind">gpu, cpu or memory (the hw.type of OpenTelemetry's hardware conventions).</param>
/// <param name="Method">How the joules were obtained: a hardware counter, integrated power samples, or a model.</param>
/// <param name="Joules">Energy in the window, in joules (J).</param>
/// <param name="AveragePowerWatts">Joules divided by the window's duration, in watts (W).</param>
/// <param name="UtilizationPercent">Mean utilisation in the window, 0-100, when the device reports it (sampled in the background).</param>
/// <param name="MemoryUsedBytes">Device memory in use at the latest sample before the window's end, when reported (bytes).</param>
public sealed record DeviceEnergy(
    string Device,
    DeviceKind Kind,
    EnergyMethod Method,
    double Joules,
    double AveragePowerWatts,
    double? UtilizationPercent = null,
    long? MemoryUsedBytes = null);

[JsonConverter(typeof(JsonStringEnumConverter<EnergyPhase>))]
public enum EnergyPhase
{
    [JsonStringEnumMemberName("train")] Train,
    [JsonStringEnumMemberName("evaluate")] Evaluate,
    [JsonStringEnumMemberName("checkpoint")] Checkpoint,
    [JsonStringEnumMemberName("paused")] Paused,
    /// <summary>The dedup stage before training (dataset.dedup): billed as part of the run.</summary>
    [JsonStringEnumMemberName("dedup")] Dedup,
}

[JsonConverter(typeof(JsonStringEnumConverter<DeviceKind>))]
public enum DeviceKind
{
    [JsonStringEnumMemberName("gpu")] Gpu,
    [JsonStringEnumMemberName("cpu")] Cpu,
    [JsonStringEnumMemberName("memory")] Memory,
}

/// <summary>The three kinds of figure the measurement rules allow, best first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EnergyMethod>))]
public enum EnergyMethod
{
    /// <summary>Difference of a hardware energy counter (NVML total energy, RAPL energy_uj).</summary>
    [JsonStringEnumMemberName("counter")] Counter,
    /// <summary>Power samples (10 Hz or more) integrated over time.</summary>
    [JsonStringEnumMemberName("integrated")] Integrated,
    /// <summary>A model: TDP times utilisation, watts per GB of RAM.</summary>
    [JsonStringEnumMemberName("estimate")] Estimate,
}

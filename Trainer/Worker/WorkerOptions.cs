using System.ComponentModel.DataAnnotations;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Trainer.Worker;

/// <summary>How this Trainer takes and runs experiments (section "Worker"); validated at start, naming the bad key.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Run the worker inside the Trainer service (true); false leaves only the HTTP endpoints.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The region whose command queue this worker serves.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,128}$", ErrorMessage = "Worker:Region must be 1 to 128 letters, digits, '.', '_' or '-'.")]
    public string Region { get; set; } = "local";

    /// <summary>How this worker names itself in progress and ownership records; default "machine:pid".</summary>
    [RegularExpression("^[^|]{1,200}$", ErrorMessage = "Worker:WorkerId must be 1 to 200 characters without '|'.")]
    public string? WorkerId { get; set; }

    /// <summary>Checkpoint every this many optimizer steps; unset uses the spec's checkpoint.everySteps.</summary>
    [Range(1, int.MaxValue)]
    public int? CheckpointEverySteps { get; set; }

    /// <summary>Checkpoint after this many seconds since the last one; unset uses the spec's checkpoint.everySeconds.</summary>
    [Range(0.01, 7 * 24 * 3600.0)]
    public double? CheckpointEverySeconds { get; set; }

    /// <summary>What the training step does when two checkpoints are already being written: wait (every checkpoint lands) or coalesce.</summary>
    public CheckpointBackpressure CheckpointBackpressure { get; set; } = CheckpointBackpressure.Wait;

    /// <summary>Training device: auto (CUDA when a CUDA LibTorch is found), cpu, cuda or cuda:N.</summary>
    public DeviceRequest Device { get; set; } = DeviceRequest.Auto;

    /// <summary>Folder of an external (PyTorch) LibTorch for CUDA; unset finds one with python3.</summary>
    public string? LibTorch { get; set; }

    /// <summary>LibTorch CPU threads; unset leaves one core free.</summary>
    [Range(1, 1024)]
    public int? CpuThreads { get; set; }

    /// <summary>Optimizer steps between reads of the training loss (each read waits for the device).</summary>
    [Range(1, 1_000_000)]
    public int LogEverySteps { get; set; } = 10;

    /// <summary>Least seconds between two progress writes while training (0 writes at every log step).</summary>
    [Range(0, 3600.0)]
    public double ProgressEverySeconds { get; set; } = 2;

    /// <summary>Seconds of training per energy window (windows also close at evaluations and checkpoints).</summary>
    [Range(0.1, 3600.0)]
    public double EnergyWindowSeconds { get; set; } = 10;

    /// <summary>How often a training worker re-reads the control hash even without a pub/sub wake-up.</summary>
    [Range(typeof(TimeSpan), "00:00:00.020", "00:05:00")]
    public TimeSpan ControlPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Most memory, in GiB, a model may need to train here (weights, gradients, optimizer state, activations); unset,
    /// or more than this machine has, is this machine's memory (or its container's limit).
    /// </summary>
    [Range(0.001, 1_000_000)]
    public double? MaxModelMemoryGiB { get; set; }

    public string ResolvedWorkerId => WorkerId ?? $"{Environment.MachineName}:{Environment.ProcessId}";
}

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// What a run says about itself once, at its start, beside its energy windows: the hardware for the
/// report's columns and the step plan for the prediction. Written to energy-run.json in the run's output
/// folder and, under a worker, to the store. Every field but the ids may be unknown.
/// </summary>
/// <param name="ExperimentId">Same as in the windows.</param>
/// <param name="RunId">Same as in the windows.</param>
/// <param name="ProjectName">A human name for the experiment (CodeCarbon's project_name).</param>
/// <param name="Region">Grid region the run draws power from (for example "DE"), when the run knows it.</param>
/// <param name="TotalSteps">Optimizer steps the run plans in all, for the prediction.</param>
/// <param name="StepsPerEpoch">Optimizer steps per epoch; the prediction waits for the first epoch.</param>
/// <param name="Machine">The host name.</param>
/// <param name="OperatingSystem">For example "Linux-6.1.0-x86_64".</param>
/// <param name="CpuModel">The CPU model name from /proc/cpuinfo.</param>
/// <param name="CpuCount">Logical processors.</param>
/// <param name="RamTotalGb">Installed memory in GB, counted as bytes / 2^30 as CodeCarbon counts its ram_total_size.</param>
/// <param name="Gpus">GPU model names, one entry per GPU measured.</param>
/// <param name="TrainingType">Hugging Face's training_type: "pre-training" or "fine-tuning".</param>
public sealed record EnergyRunInfo(
    string ExperimentId,
    string RunId,
    string? ProjectName = null,
    string? Region = null,
    long? TotalSteps = null,
    long? StepsPerEpoch = null,
    string? Machine = null,
    string? OperatingSystem = null,
    string? CpuModel = null,
    int? CpuCount = null,
    double? RamTotalGb = null,
    IReadOnlyList<string>? Gpus = null,
    string? TrainingType = null);

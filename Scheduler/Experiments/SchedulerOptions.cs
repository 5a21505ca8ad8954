using System.ComponentModel.DataAnnotations;
using GreenTrain.Scheduler.Planning;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>How the Scheduler plans and dispatches (section "Scheduler").</summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>
    /// When set, every /experiments and /carbon request must carry it in the X-Api-Key header; required outside
    /// Development (<see cref="Apis.ApiKeyRequired"/>). A secret: never logged.
    /// </summary>
    public string? ApiKey { get; set; }

    public PlanningPolicy Policy { get; set; } = PlanningPolicy.RegionShifting;

    /// <summary>Planning cell length in minutes of grid time (under trace replay, divided by the speed-up on the wall clock).</summary>
    [Range(1, 240)]
    public int StepMinutes { get; set; } = 15;

    /// <summary>Trainer slots per region; a region not listed has one.</summary>
    public Dictionary<string, int> Slots { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Run time assumed for an experiment submitted without an estimate, in hours of grid time (under trace replay,
    /// divided by the speed-up on the wall clock, as the horizon is: 1 h is 37.5 s at 96x). The measured pace replaces it
    /// once a tenth of the run is done.
    /// </summary>
    [Range(0.01, 10_000)]
    public double DefaultHours { get; set; } = 1;

    /// <summary>
    /// Most memory, in GiB, a submitted model may need to train (weights, gradients, optimizer state, activations at its
    /// batch size); unset is this machine's memory. Workers check their own memory again before they build the model.
    /// </summary>
    [Range(0.001, 1_000_000)]
    public double? MaxModelMemoryGiB { get; set; }

    /// <summary>Energy assumed for an experiment submitted without an estimate, in kWh.</summary>
    [Range(0.0001, 1_000_000)]
    public double DefaultKWh { get; set; } = 0.3;

    /// <summary>Energy of writing a checkpoint, in kWh (seconds of a GPU at a few hundred watts).</summary>
    [Range(0, 100)]
    public double CheckpointKWh { get; set; } = 0.002;

    /// <summary>Energy of restarting from a checkpoint, in kWh.</summary>
    [Range(0, 100)]
    public double ResumeKWh { get; set; } = 0.005;

    /// <summary>
    /// When set, a checkpoint costs the job's own average power (its remaining kWh over its remaining hours, which
    /// Telemetry's prediction refines from measured windows) for this many seconds, instead of CheckpointKWh: a pause of
    /// a 700 W job costs more than one of a 70 W job.
    /// </summary>
    [Range(0, 3600)]
    public double? CheckpointSeconds { get; set; }

    /// <summary>As <see cref="CheckpointSeconds"/>, for restarting from a checkpoint (load, warm-up), instead of ResumeKWh.</summary>
    [Range(0, 3600)]
    public double? ResumeSeconds { get; set; }

    /// <summary>Extra energy of moving a checkpoint to another region, in kWh.</summary>
    [Range(0, 100)]
    public double MigrationKWh { get; set; } = 0.01;

    /// <summary>
    /// Least seconds a run started or resumed by the plan keeps running before a later plan may pause or move it: a
    /// replan a moment after a start (a new forecast, a progress report) must not pause it at once, since a pause and a
    /// resume cost a checkpoint and a restore and save nothing over so short a time. A user's pause is not held back.
    /// </summary>
    [Range(0, 3600)]
    public int MinRunSeconds { get; set; } = 30;

    /// <summary>How often plans are rebuilt even when nothing changed, in seconds.</summary>
    [Range(1, 86_400)]
    public int ReplanSeconds { get; set; } = 300;

    /// <summary>The safety net: dispatch also runs this often, besides at plan boundaries, in seconds.</summary>
    [Range(1, 86_400)]
    public int DispatchSeconds { get; set; } = 60;

    /// <summary>
    /// Seconds a running experiment may go without progress, without an owning worker and without a new command
    /// before the Scheduler queues its Resume again (a worker that died mid-run; more than the command lease, 30 s).
    /// </summary>
    [Range(5, 3600)]
    public int StallSeconds { get; set; } = 45;
}

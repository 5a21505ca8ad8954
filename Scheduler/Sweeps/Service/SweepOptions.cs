using System.ComponentModel.DataAnnotations;

namespace GreenTrain.Scheduler.Sweeps.Service;

/// <summary>How the Scheduler runs sweeps posted to /sweeps (section "Sweeps"); the defaults work as they are.</summary>
public sealed class SweepOptions
{
    public const string SectionName = "Sweeps";

    /// <summary>Whether this replica's runner takes queued sweeps (false: it only serves /sweeps; another replica runs them).</summary>
    public bool Run { get; set; } = true;

    /// <summary>The deadline of a sweep posted without one: this many hours after it is submitted (grid time; under trace replay, divided by its speed-up).</summary>
    [Range(0.01, 8760)]
    public double DefaultHorizonHours { get; set; } = 24;

    /// <summary>
    /// How often a runner waiting on a trial reads its experiment again, in seconds, besides whenever its worker publishes
    /// progress (the message only wakes; a lost one is caught here).
    /// </summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 15;

    /// <summary>
    /// Grid intensity the sweep report prices each trial's measured energy at, g CO2eq/kWh. The per-window emissions of each
    /// trial (its region and hour) are Telemetry's; the report says this figure is a constant.
    /// </summary>
    [Range(0, 2000)]
    public double GramsPerKwh { get; set; } = 442;
}
